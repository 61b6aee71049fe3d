"""What a question asks, read from its words: intents, yes/no, duties asked the other way
round, user counts. Pure functions: no index, no model."""

import pytest

from app.intent import count_in, detect


def test_user_counts_are_read_with_their_scale():
    assert count_in("a product with 900 million users") == 9e8
    assert count_in("1,000,000 users and 2 cats") == 1e6
    assert count_in("Llama 3.1") is None


def test_a_year_is_not_a_user_count():
    assert count_in("the April 2024 terms") is None
    assert count_in("a product with 900 million users in 2025") == 9e8


def test_what_happened_in_a_leak_is_not_a_table_fact():
    assert detect("What happened with the Llama 1 weights leak?") is None


@pytest.mark.parametrize("question,kind", [
    ("Does Apache 2.0 let me remove the NOTICE file?", "attribution"),
    ("Can I ship a Llama 3.2 app without the \"Built with Llama\" notice?", "naming_rule"),
    ("Can I strip the licence text when I redistribute Mistral 7B?", "attribution"),
])
def test_dropping_a_duty_is_the_duty_asked_the_other_way_round(question, kind):
    intent = detect(question)
    assert intent.kind == kind and intent.removal and intent.negative


def test_forbidding_the_drop_asks_the_duty_itself():
    intent = detect("Does Apache 2.0 forbid removing the attribution notices?")
    assert intent.removal and not intent.negative


@pytest.mark.parametrize("question,kind", [
    ("If I fine-tune Mistral 7B, do I have to release my weights?", "share_alike"),
    ("Is Falcon 40B Apache 2.0?", "which_licence"),
    ("Is SmolLM3 fully open?", "open_source"),
    ("Does DeepSeek-R1 allow distillation?", "outputs_training"),
    # a ban assumed of distillation, then the use asked about
    ("DeepSeek-R1's licence bans distillation, so can I at least use it commercially?",
     "commercial_use"),
])
def test_question_shapes_read_as_the_fact_they_ask(question, kind):
    assert detect(question).kind == kind


@pytest.mark.parametrize("question,kind", [
    ("Can I use Llama 3.3 to generate training data for Mistral?", "outputs_training"),
    ("Can I use Codestral in my company's internal tools?", "commercial_use"),
    ("Is it legal to use Llama 3 in a hospital chatbot?", "medical_use"),
    ("What happens above it?", "user_threshold"),
])
def test_uses_said_in_other_words_are_read(question, kind):
    assert detect(question).kind == kind


@pytest.mark.parametrize("question,kind,yes_no", [
    ("What does the Llama 4 licence say about the EU?", "eu_use", False),
    ("Does the Gemma licence say anything about the EU?", "eu_use", False),
    # what it costs is its fee, not its use ('commercial' in it notwithstanding)
    ("How much does a commercial licence for Mistral Large 2 cost?", "fee", False),
    ("What would it need to qualify?", "open_source", False),
    ("What would it take to use Llama commercially?", "commercial_use", False),
])
def test_what_a_licence_says_about_a_use_or_costs_gets_no_verdict(question, kind, yes_no):
    intent = detect(question)
    assert intent.kind == kind and intent.yes_no == yes_no


def test_safety_is_not_a_licence_verdict():
    """'Safe to use in Europe?' is read as the EU-use fact, but no licence says 'safe'."""
    intent = detect("Are DeepSeek models safe to use in Europe?")
    assert intent.kind == "eu_use" and not intent.yes_no
    assert detect("Can I use DeepSeek models in Europe?").yes_no


def test_releasing_my_version_under_another_licence_is_a_share_alike_question():
    """'Release it under MIT' asks whether the terms follow the derivative: the clause, no
    verdict (the Gemma answer had been 'Yes, but only under a condition')."""
    intent = detect("Can I fine-tune Gemma 3 and release it under MIT?")
    assert intent.kind == "share_alike" and not intent.yes_no
    assert detect("Is Mistral 7B released under Apache 2.0?").kind == "which_licence"
