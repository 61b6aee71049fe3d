"""The entity catalogue built from the real corpus: aliases and linking."""

import pytest

from app.entities import catalogue, norm
from app.settings import ROOT


@pytest.fixture(scope="module")
def cat():
    return catalogue(ROOT / "corpus")


def test_norm_spells_names_one_way():
    assert norm("Llama-3.1-8B") == norm("llama3.1 8b") == "llama 3.1 8 b"
    assert norm("Meta's Llama 3.1 licence") == "meta llama 3.1 license"


@pytest.mark.parametrize("question,expected", [
    ("Can I use Llama-3.1-8B at work?", ["model:llama-3-1"]),
    ("is llama3.1 ok for a chatbot", ["model:llama-3-1"]),
    ("What does Meta's Llama 3.1 licence say?", ["developer:meta",
                                                 "licence:llama-3.1-license-2024"]),
    ("Is GPT-4o open?", ["model:gpt-4o"]),  # not GPT-4
    ("Is Gemma open source?", ["family:google-gemma"]),  # the family, not its first row
    ("Compare Qwen2.5-72B with Mixtral 8x7B", ["model:qwen2-5-72b", "model:mixtral-8x7b"]),
    ("Is Llama 2 under the Apache 2.0 licence?", ["model:llama-2", "licence:apache-2.0"]),
    ("Does GPLv3 allow it?", ["licence:gpl-3.0"]),
    ("Is Qwen open source?", ["family:alibaba-qwen"]),  # the family, not the Qwen licence
    ("What about the MIT License?", ["licence:mit"]),
    # TII has several Falcon licences: "TII Falcon" must not swallow "Falcon 3"
    ("What licence is TII's Falcon 3 family released under?",
     ["developer:technology-innovation-institute", "model:falcon-3"]),
    ("Is Codestral under the same terms?", ["model:codestral-22b"]),  # the weights release
    # a size a row's name lists: 'Gemma (2B, 7B)' is Gemma 7B; 'Gemma 2 9B' stays Gemma 2
    ("Which is more open, Mistral 7B or Gemma 7B?", ["model:mistral-7b", "model:gemma"]),
    ("Is Gemma 2 9B open?", ["model:gemma-2"]),
    ("Can I use Llama 3.2 1B commercially?", ["model:llama-3-2"]),
    # a licence known from a summary page, not the family its name begins with
    ("What is the Mistral Research License?", ["licence:mistral-mrl-0.1"]),
    ("Is the MNPL a production licence?", ["licence:mistral-mnpl-0.1"]),
    # a name a licence gives itself beats one read from another's ScanCode key (ScanCode's
    # 'llama-4-license-2025' is Meta's use policy)
    ("What does the Llama 4 licence say about the EU?", ["licence:llama-4-cla-2025"]),
    ("Can I use Ministral 3 8B commercially?", ["model:ministral-3"]),  # not Ministral 8B
])
def test_questions_link_to_the_entities_they_name(cat, question, expected):
    assert [e.id for e in cat.link(question)] == expected


def test_a_family_name_means_every_family_that_shares_it(cat):
    (mention,) = cat.mentions("Is Llama open source?")
    assert {e.id for e in mention} == {"family:meta-llama-1", "family:meta-llama-2",
                                       "family:meta-llama-3", "family:meta-llama-4"}


def test_a_name_borrowed_from_another_family_stays_with_its_own_model(cat):
    """'Llama 3.1' is Meta's row, not NVIDIA's Llama-3.1-Nemotron; 'Nemotron' is NVIDIA's."""
    assert [e.id for e in cat.link("What licence does Llama 3.1 use?")] == ["model:llama-3-1"]
    assert [e.id for e in cat.link("Can I use Nemotron commercially?")] == [
        "family:nvidia-nemotron"]


def test_every_model_row_and_licence_is_an_entity_with_its_sources(cat):
    from app.load import read_licence_list, read_models

    for row in read_models(ROOT / "corpus"):
        e = cat.get(f"model:{row.id}")
        assert e is not None and e.aliases, row.id
        assert {f"model:{row.id}", row.family} <= e.sources
    for entry in read_licence_list(ROOT / "corpus"):
        e = cat.get(f"licence:{entry.key}")
        assert e is not None and f"licence:{entry.key}" in e.sources
        assert entry.key in e.sources  # its explainer in corpus/licences/


def test_newest_or_latest_means_the_last_release_of_a_family():
    from app.entities import catalogue
    from app.settings import ROOT

    cat = catalogue(ROOT / "corpus")
    assert [e.id for e in cat.link("What licence does the newest Gemma generation use?")] == [
        "model:gemma-4"]
    assert {e.id for e in cat.link("Is the latest Llama open source?")} == {
        "model:llama-4-scout", "model:llama-4-maverick"}
    assert "model:gemma-4" not in {e.id for e in cat.link("What licence does Gemma use?")}


def test_the_nth_generation_of_a_family_is_its_release_with_that_number():
    from app.entities import catalogue
    from app.settings import ROOT

    cat = catalogue(ROOT / "corpus")
    assert [e.id for e in cat.link("When did Claude's third generation come out?")] == [
        "model:claude-3"]
    assert [e.id for e in cat.link("What licence did the second generation of Llama use?")
            ] == ["model:llama-2"]


def test_a_family_word_that_repeats_a_named_licence_adds_no_entity(cat):
    assert [e.id for e in cat.link('Must the Llama 3.1 licence holder put "Llama" in the '
                                   'name?')] == ["licence:llama-3.1-license-2024"]


def test_a_family_name_and_the_word_after_it_can_name_a_line_of_models(cat):
    assert [e.id for e in cat.link("Is Mistral Large open?")] == [
        "model:mistral-large-2", "model:mistral-large-3"]
    # 'Meta Llama' is a developer and a family, not the 'Meta Llama 3' row
    assert "model:llama-3" not in [e.id for e in cat.link("Is Meta's Llama licence open?")]
