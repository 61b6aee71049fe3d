"""The scope gate: pure checks on the question, its entities and the passages' text."""

import pytest

from app import scope
from app.entities import catalogue
from app.settings import ROOT


@pytest.fixture(scope="module")
def cat():
    return catalogue(ROOT / "corpus")


@pytest.mark.parametrize("question", ["Who won the 2022 FIFA World Cup?",
                                      "What's a good recipe for a vegetarian lasagne?",
                                      "Will it rain in Manchester tomorrow?",
                                      "Can you suggest a 16-week marathon training plan?"])
def test_off_topic_questions_are_declined(cat, question):
    assert scope.off_topic(question, cat.link(question), 0.1, 0.35) is not None


@pytest.mark.parametrize("question", ["Is Llama 3.1 open?", "What are open weights?",
                                      "Who makes Claude?", "Is the training data published?",
                                      "What does Recital 102 say?", "Is GPAI regulated?",
                                      "What is a story that shows open-washing?"])
def test_domain_questions_pass(cat, question):
    assert scope.off_topic(question, cat.link(question), 0.1, 0.35) is None


def test_a_close_passage_lets_a_question_through():
    assert scope.off_topic("Who won?", [], 0.6, 0.35) is None


def test_a_figure_is_declined_only_when_no_passage_has_one():
    q = "How much did DeepSeek spend to train DeepSeek-V3?"
    assert scope.unsupported_ask(q, "The technical reports include training costs.")
    assert scope.unsupported_ask(q, "It cost about $5.6 million in GPU time.") is None
    assert scope.unsupported_ask("When will Meta release the next Llama?", "anything")
    assert scope.unsupported_ask("What licence is Mistral 7B under?", "Apache") is None


def test_unknown_model_names_are_declined(cat):
    for q, name in [("When is Meta going to release Llama 5?", "Llama 5"),
                    ("What licence does Apple use for its DCLM-7B model?", "DCLM-7B")]:
        verdict = scope.unknown_name(q, cat.link(q), cat.text)
        assert verdict and name in verdict.reason
    for q in ["Is Llama 3.1 open source?", "Does the MIT licence grant patents?",
              "Can I use Qwen2.5-72B commercially?", "What is the OSI definition?"]:
        assert scope.unknown_name(q, cat.link(q), cat.text) is None, q


def test_a_licence_named_by_a_word_the_corpus_never_uses_is_declined(cat):
    for q, name in [("When does the Quillfeather Licence allow commercial use?", "Quillfeather"),
                    ("Does the Zorblax license permit resale of outputs?", "Zorblax"),
                    ("Is the Vantablue model open source?", "Vantablue")]:
        verdict = scope.unknown_name(q, cat.link(q), cat.text)
        assert verdict and name in verdict.reason, q
    for q in ["Does the Apache License 2.0 give me a patent licence?",
              "Does the Stability AI Community License allow commercial use?",
              "Is the Tongyi Qianwen licence free for commercial use?",
              "What licence does OpenAI's gpt-oss use?", "Which French model is open?"]:
        assert scope.unknown_name(q, cat.link(q), cat.text) is None, q


def test_a_name_in_an_upload_or_a_passage_is_known(cat):
    q = "Which licence is ZorbLM-7 released under?"
    assert scope.unknown_name(q, [], cat.text)
    assert scope.unknown_name(q, [], cat.text + " zorblm-7 is released under ...") is None


@pytest.mark.parametrize("question", ["How many employees does Mistral AI have?",
                                      "Which judge is hearing the Getty Images lawsuit against "
                                      "Stability AI?",
                                      "What context length will DeepSeek's next model support?",
                                      "Which open model is trending on Hugging Face?",
                                      "Which licence is the most popular for open models?",
                                      "What is the best open model right now?",
                                      "What terms will Meta put in the licence of its next "
                                      "Llama release?", "How big is Llama 3.1 405B?",
                                      "What is the best open model for coding?",
                                      "Which model is better for chat, Llama 3 or Qwen?",
                                      "How much does Mistral AI charge per million tokens?",
                                      "Which licence allows the most freedom?",
                                      "Is OLMo 2 better than Llama 3.1?",
                                      "What terms will Google put in the next Gemma licence?"])
def test_asks_no_passage_can_answer_are_declined(question):
    assert scope.unsupported_ask(question, "Mistral AI released Mistral 7B under Apache 2.0.")


def test_better_licensed_is_a_licence_comparison_not_a_ranking():
    assert scope.unsupported_ask("Is Gemma better licensed than Llama?", "") is None


def test_what_something_costs_needs_a_stated_price_not_a_revenue_cap():
    asked = "How much does a commercial licence for Mistral Large 2 cost?"
    cap = "The Modified MIT licence adds a revenue cap of $20 million a month."
    assert scope.unsupported_ask(asked, cap).what == "cost"
    assert scope.unsupported_ask(asked, "A commercial licence costs $5,000 a year.") is None


def test_staff_and_court_asks_pass_when_a_passage_has_the_answer():
    assert scope.unsupported_ask("How many employees does Acme have?",
                                 "Acme has 1,200 employees.") is None
    assert scope.unsupported_ask("Which court decides disputes under the Llama 2 licence?",
                                 "the courts of California") is None


def test_a_named_developers_reasons_are_declined_unless_a_passage_gives_them():
    asked = "Why did Meta release Llama's weights?"
    # the Llama pages say how the weights are downloaded and what a paper argued, not why
    said = "Meta AI. The paper argued that smaller models can match larger ones. Llama 2 is gated."
    assert "Meta's reasons" in scope.unexplained_motive(asked, said).reason
    assert scope.unexplained_motive(asked, "Meta said open weights let others build on it.") is None
    # a causal word about something else is no reason for the act ('because the weights run
    # outside OpenAI's systems'), and a name in lower case first is a name too ('xAI')
    gpt = "The caveat: because the weights run outside OpenAI's systems, you filter inputs."
    assert scope.unexplained_motive("Why did OpenAI release gpt-oss?", gpt)
    assert scope.unexplained_motive("Why did xAI release Grok-1's weights?",
                                    "xAI says little about the data.")
    # the general question is the arguments pages' to answer, not a named party's motive
    assert scope.unexplained_motive("Why do companies keep models closed?", said) is None


@pytest.mark.parametrize(("question", "declined"), [
    ("Tell me a joke about open source.", True),
    ("Write a poem about Llama 3.", True),
    ("Can you make up a story about GPT-4o?", True),
    ("What is a story that shows open-washing?", False),  # a question, answered from sources
    ("Does the Llama licence tell me what to call my model?", False),
])
def test_a_request_for_writing_is_declined(question, declined):
    assert (scope.creative_request(question) is not None) == declined


def test_a_size_ask_passes_with_a_parameter_count_and_a_company_size_is_no_size_ask():
    assert scope.unsupported_ask("How big is BLOOM?", "At 176 billion parameters, ...") is None
    assert scope.unsupported_ask("Does it limit how big my company can be?", "text") is None
    # whether a count is published is a yes/no the table answers, not a count asked for
    assert scope.unsupported_ask("Does Anthropic publish Claude's training data or its "
                                 "parameter counts?", "text") is None


def test_setup_instructions_are_declined_as_not_covered():
    from app.scope import unsupported_ask

    verdict = unsupported_ask("How do I install Ollama?", "Ollama runs models locally.")
    assert verdict is not None and verdict.what == "setup" and "setup" in verdict.reason
    assert unsupported_ask("How do I download Llama 3?", "") is None



def test_advice_on_ones_own_licence_is_declined():
    from app.scope import unsupported_ask

    verdict = unsupported_ask("Which licence should I choose for my model?", "")
    assert verdict is not None and verdict.what == "advice"


def test_a_variant_no_source_names_is_declined_not_given_the_base_models_facts():
    from app.scope import unknown_variant

    corpus = "stable diffusion xl 1.0 (sdxl) ... stable diffusion 3.5 large turbo"
    assert "SDXL Turbo" in unknown_variant("What is the licence of SDXL Turbo?", corpus).reason
    assert unknown_variant("Is Stable Diffusion 3.5 Large Turbo open?", corpus) is None


def test_a_post_no_passage_names_is_declined_but_a_named_one_is_not():
    from app.scope import unsupported_ask

    founders = "Mistral AI, a Paris company founded in 2023 by Arthur Mensch."
    assert unsupported_ask("Who is the CEO of Mistral?", founders).what == "role"
    assert unsupported_ask("Who is the CEO of Baidu?", "chief executive Robin Li") is None
