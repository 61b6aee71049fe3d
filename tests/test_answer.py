import pytest

from app.answer import (
    Answer,
    QuestionRejected,
    Token,
    Turn,
    bearing,
    clean_question,
    question_shape,
)


@pytest.mark.parametrize("question,shape", [
    ("Does the Apache 2.0 licence allow commercial use?", "yes_no"),
    ("What are the arguments for keeping AI models closed?", "list"),
    ("What is the difference between open-weight and open-source AI?", "comparison"),
    ("Who makes Claude?", "plain"),
])
def test_question_shapes(question, shape):
    assert question_shape(question) == shape


def test_prompt_passages_keep_the_sentences_that_bear_on_the_question():
    text = ("Section 2 sets a threshold. Above 700 million monthly active users you must ask "
            "Meta. The licence is governed by California law. Cats are not covered.")
    kept = bearing(text, "How many monthly active users before I must ask Meta?")
    assert kept == "Above 700 million monthly active users you must ask Meta."
    assert bearing("No overlap here. None at all. Third.", "patents?") == (
        "No overlap here. None at all.")
    listed = bearing("Arguments:\n- cost\n- privacy\n- control", "what are the arguments",
                     keep_lists=True)
    assert listed.splitlines() == ["Arguments:", "- cost", "- privacy", "- control"]


def test_question_cleaning():
    assert clean_question("  what\x00 is\tMIT? ") == ("what is MIT?", "")
    long, notice = clean_question("x" * 20_000)
    assert len(long) == 2000 and "20,000 characters" in notice
    with pytest.raises(QuestionRejected, match="empty"):
        clean_question(" \n\t ")


def test_grounded_answer_cites_the_licence(answerer):
    events = list(answerer.stream("Can I use Llama 3.1 in a product with 900 million users?"))
    tokens, answer = events[:-1], events[-1]
    assert isinstance(answer, Answer) and tokens and all(isinstance(t, Token) for t in tokens)
    assert not answer.abstained, answer.text
    assert answer.backend == "embedded"
    assert "licence:llama-3.1-license-2024" in {p.source_id for p in answer.cited}
    assert all(n in {p.n for p in answer.passages} for n in answer.citations)
    t = answer.timings
    assert 0 < t.retrieval_ms < t.first_token_ms < t.total_ms


def test_out_of_scope_question_abstains_without_the_model(answerer):
    answer = answerer.ask("What is the best recipe for a tomato pasta sauce?")
    assert answer.abstained and answer.citations == []
    assert "covers" in answer.text and answer.timings.first_token_ms is None


def test_follow_up_is_rewritten_from_history(answerer):
    history = [Turn(role="user", content="What are open-weight models?"),
               Turn(role="assistant", content="Models whose weights you can download [1].")]
    answer = answerer.ask("Can I run them on my own hardware?", history=history)
    assert answer.standalone_question != "Can I run them on my own hardware?"
    assert "open-weights" in {p.source_id for p in answer.passages[:2]}
