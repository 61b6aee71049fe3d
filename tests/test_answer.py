import pytest

from app.answer import (
    Answer,
    QuestionRejected,
    Token,
    Turn,
    attribute,
    check_citations,
    clean_question,
    drop_unsupported_figures,
)
from app.retrieve import Passage


def passage(n: int, text: str) -> Passage:
    return Passage(n=n, id=str(n), text=text, source_id=f"s{n}", title="T", kind="article",
                   score=0.5)


def test_citations_to_missing_passages_are_removed():
    text, kept = check_citations("Yes [1][9]. Also [2, 7]. Not [12] .", {1, 2})
    assert text == "Yes [1]. Also [2]. Not."
    assert kept == [1, 2]


def test_uncited_sentences_get_the_passage_that_supports_them():
    ps = [passage(1, "Licensees above 700 million monthly active users must request a "
                     "license from Meta."), passage(2, "Apache grants a patent licence.")]
    text = attribute("Above 700 million monthly active users you must ask Meta for a "
                     "license. Cats sleep a lot.", ps)
    assert text == ("Above 700 million monthly active users you must ask Meta for a "
                    "license [1]. Cats sleep a lot.")


def test_sentences_with_invented_figures_are_dropped():
    passages = [passage(1, "Llama 3.1: above 700 million monthly active users, ask Meta. "
                           "Released 23 July 2024; revenue cap 1,000,000 USD.")]
    text = ("Training cost $25 million [1]. The limit is 700 million users [1]. It came out "
            "on 23 July 2024 [1]. The cap is 1000000 dollars [1].")
    kept, dropped = drop_unsupported_figures(text, passages)
    assert dropped == 1 and kept.startswith("The limit is 700 million users [1].")
    assert drop_unsupported_figures("Open weights are public [1].", passages) == (
        "Open weights are public [1].", 0)


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
