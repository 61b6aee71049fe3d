import re

import pytest

from app.answer import (
    Answer,
    QuestionRejected,
    Token,
    Turn,
    bearing,
    case_against,
    clean_question,
    defined_term,
    definition,
    heads,
    naming,
    plain,
    provision,
    question_shape,
    restates,
    treated,
)
from app.settings import ROOT


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
    # without its list, a lead-in is left out: the model would copy a promise it cannot keep
    prose = bearing("A model is open source if the OSI says so. Ask three open source "
                    "questions:\n- is the data published?\n- the code?", "what is open source?")
    assert prose == "A model is open source if the OSI says so."


@pytest.mark.parametrize("question,term", [
    ('What does "open weights" mean?', "open weights"),
    ("What's a RAIL licence in the context of AI models?", "RAIL licence"),
    ("What is the OSI's Open Source AI Definition?", "OSI's Open Source AI Definition"),
    ("Define copyleft.", "copyleft"),
    ("Explain the Model Openness Framework.", "Model Openness Framework"),
    ("Can I use Llama 3.1 commercially?", None),
])
def test_the_term_a_definition_question_asks_about(question, term):
    assert defined_term(question) == term


GLOSSARY = ("Weights are the numbers a model learns during training. Together they decide "
            "the output.\n\n\"Open weights\" means these values are published for download. "
            "\"Closed weights\" means the developer keeps them private. See [x](y).")


def test_a_definition_is_the_sentence_that_defines_that_very_term():
    # it points back ('these values'): the section's opening says what they are
    assert definition(GLOSSARY, "open weights") == [
        "Weights are the numbers a model learns during training.",
        "\"Open weights\" means these values are published for download.",
        "\"Closed weights\" means the developer keeps them private."]
    # a glossary entry headed by the term: its opening, up to a list's lead-in
    entry = "MAU is the number of users in a month. Licences use it:\n- Llama: 700 million"
    assert definition(entry, "MAU", heading="MAU (monthly active users)") == [
        "MAU is the number of users in a month."]
    assert definition("RAIL licences add use restrictions. They pass on.", "RAIL licence",
                      heading="RAIL (Responsible AI Licence)")[0].startswith("RAIL licences")
    # "the OSI's Open Source AI Definition" is the entry headed by the name it owns
    osaid = "The OSAID is the OSI's definition. It requires four freedoms.\n\nSee [x](y)."
    assert definition(osaid, "OSI's Open Source AI Definition",
                      heading="Open Source AI Definition (OSAID)") == [
        "The OSAID is the OSI's definition.", "It requires four freedoms."]
    # 'is a main reason' is not a definition; nothing else defines it
    assert definition("Quantisation is a main reason models run on laptops.",
                      "quantisation") == []


def test_question_cleaning():
    assert clean_question("  what\x00 is\tMIT? ") == ("what is MIT?", "")
    long, notice = clean_question("x" * 20_000)
    assert len(long) == 2000 and "20,000 characters" in notice
    with pytest.raises(QuestionRejected, match="empty"):
        clean_question(" \n\t ")


def test_grounded_answer_cites_the_licence(answerer):
    # the fixture corpus has no licence facts, so the model writes this answer
    events = list(answerer.stream("What does the Llama 3.1 licence require of a product with "
                                  "900 million monthly active users?"))
    tokens, answer = events[:-1], events[-1]
    assert isinstance(answer, Answer) and tokens and all(isinstance(t, Token) for t in tokens)
    assert not answer.abstained, answer.text
    assert answer.backend == "embedded"
    # the clause that decides it is cited, and the answer says what it says
    assert any(p.source_id == "licence:llama-3.1-license-2024" and p.section.startswith(
        "Section 2") for p in answer.cited), [p.label for p in answer.cited]
    assert re.search(r"700 million|request.{0,16}licen[cs]e", answer.text, re.I), answer.text
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


def fake_backend(text: str, verdict: dict | None = None):
    """A chat model that always writes `text` (and `verdict` for yes/no questions)."""
    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from app.llm import Backend

    class Always:
        def __iter__(self):
            return self

        def __next__(self):
            return AIMessage(content=text)

    calls = []

    def structured(messages, schema, max_tokens):
        calls.append(messages)
        return verdict

    backend = Backend("fake", "fake", GenericFakeChatModel(messages=Always()),
                      structured=structured if verdict else None)
    backend.calls = calls
    return backend


def test_what_streams_is_what_the_answer_keeps(full):
    from app.answer import Answerer

    backend = fake_backend("Open-weight models publish their weights for download [1]. "
                           "They cost $9 billion [1]. [1], [2] Cats sleep a lot.")
    answerer = Answerer(full.settings, retriever=full, backend=backend)
    events = list(answerer.stream("Tell me about open-weight models."))
    shown = "".join(e.text for e in events if isinstance(e, Token))
    answer = events[-1]
    assert not answer.abstained and shown == answer.text
    assert answer.text == "Open-weight models publish their weights for download [1]."
    assert any(r.startswith("figures:") for r in answer.removed)
    assert answer.raw_citations == [1, 1, 1, 2]


def test_a_lead_in_without_its_list_is_never_shown(full):
    from app.answer import Answerer

    backend = fake_backend("Open-weight models publish their weights for download [1]. "
                           "To tell them apart, ask three questions [1]:\n- Is it 9,999,999 "
                           "times bigger [1]?\n- Does it cost $7,777 [1]?\n\nWeights can "
                           "be downloaded and run locally [1].")  # its items: invented figures
    answerer = Answerer(full.settings, retriever=full, backend=backend)
    events = list(answerer.stream("Tell me about open-weight models."))
    shown = "".join(e.text for e in events if isinstance(e, Token))
    answer = events[-1]
    assert shown == answer.text and "three questions" not in shown
    assert any(r.startswith("dangling lead-in:") for r in answer.removed)


# a yes/no about a clause that none of the structured facts holds (military use now is one)
UNSETTLED = ("Does the Llama 4 acceptable use policy allow presenting Llama 4 outputs as "
             "human-generated?")


def test_yes_no_the_tables_cannot_settle_get_quoted_clauses_and_no_verdict(full):
    from app.answer import Answerer

    backend = fake_backend("Yes [1].", {"verdict": "yes", "reason": "Yes [1]."})
    answerer = Answerer(full.settings, retriever=full, backend=backend)
    answer = answerer.ask(UNSETTLED)
    assert not backend.calls and answer.abstained and answer.verdict is None
    assert answer.text.startswith("Faultline's tables do not settle this")
    assert answer.citations and all(n in {p.n for p in answer.passages}
                                    for n in answer.citations)
    assert "human-generated" in answer.text  # the clause that bears on it, quoted


def test_quotes_are_chosen_by_what_is_asked_not_by_the_words_of_asking():
    """'decisions' finds 'decision making'; 'use' and 'company' in a sentence bear on
    nothing; a sentence far weaker than the best is left out."""
    from app.answer import telling
    from app.retrieve import Passage

    body = ("This License governs the use of the models by any company. "
            "You agree not to use the Model for fully automated decision making that "
            "adversely impacts an individual's legal rights.")
    p = Passage(n=1, id="c1", text=body, source_id="licence:x", title="A licence",
                kind="licence", score=0.5)
    said = telling([p], "Can a company use BLOOM to make decisions about loans?")
    assert [text for _, text in said] == [post_split_last(body)]
    assert telling([p], "Is it allowed for use by a company?") == []


def post_split_last(text: str) -> str:
    from app import postprocess

    return postprocess.split(text)[-1]


def test_a_yes_no_with_nothing_to_quote_is_declined_not_left_as_a_bare_lead_in(tmp_path):
    from app.answer import Answerer
    from app.retrieve import Passage
    from tests.conftest import make_settings

    answerer = Answerer(make_settings(tmp_path, corpus_dir=ROOT / "corpus"), retriever=object())
    unrelated = Passage(n=1, id="c1", text="Quokkas live on Rottnest Island.", source_id="x",
                        title="Notes", kind="article", score=0.5)
    answer = Answer(question="Can I host it?", standalone_question="Can I host it?", text="",
                    passages=[unrelated])
    said = answerer._quoted(answer, 0.0, answer.passages)
    assert said.abstained and said.citations == [] and "do not settle" not in said.text
    assert said.text.startswith("I can't answer that") and "no passage says" in said.text


def test_yes_no_questions_lead_with_the_structured_verdict(full):
    from app.answer import Answerer

    backend = fake_backend("unused", {"verdict": "no", "reason": "The Llama 4 acceptable use "
                                      "policy prohibits presenting outputs as human-generated "
                                      "[1]."})
    settings = full.settings.model_copy(update={"written_verdicts": True})
    answerer = Answerer(settings, retriever=full, backend=backend)
    answer = answerer.ask(UNSETTLED)
    assert backend.calls and answer.text.startswith("No. ")
    assert answer.verdict == "no" and answer.citations == [1]


def test_a_structured_not_in_the_passages_is_an_abstention(full):
    from app.answer import Answerer

    backend = fake_backend("unused", {"verdict": "not in the passages", "reason": ""})
    settings = full.settings.model_copy(update={"written_verdicts": True})
    answerer = Answerer(settings, retriever=full, backend=backend)
    answer = answerer.ask(UNSETTLED)
    assert answer.abstained


def test_passages_reach_the_model_without_markdown():
    from app.answer import plain

    assert plain("Open weights are **not** open source. See [Open-weight models]"
                 "(open-weight-models.md). Read [the FAQ](faq.md) too.") == (
        "Open weights are not open source.  Read the FAQ too.")
    # the date Faultline checked a table row is not a date of the model: the model used it
    # as 'the framework was first published on 01 December 2026'
    assert plain("OLMo: openness components checked 01 December 2026: base weights open") == (
        "OLMo: openness components: base weights open")


def test_gist_of_a_section():
    from app.answer import gist

    assert gist("**The argument.** A vendor can patch it. More.\n\n**Counter-argument.** No.",
                "Updates") == "A vendor can patch it."
    assert gist("**Code.** The source. Also.\n**Parameters.** The weights.", "Code and "
                "parameters") == "Code: The source. Parameters: The weights."
    assert gist("It grants four freedoms:\n- **Use:** any purpose.\n- **Study:** inspect.",
                "The four freedoms") == "It grants four freedoms: Use, Study."
    assert gist("The first is data information. Data information means enough detail.",
                "Required elements: data information") == "Data information means enough detail."


def test_a_provision_asked_about_is_matched_as_texts_cite_it():
    cited = provision("What does Article 54(6) of the EU AI Act say?")
    assert cited.search("Articles 53(2) and 54(6) cover GPAI models")
    assert cited.search("Article 54(6) likewise exempts such providers")
    assert not cited.search("Article 54(1) normally requires") and not cited.search(
        "Article 54(61)")
    assert provision("What does Article 53 require?").search("Article 53(1) lists four")
    assert provision("Tell me what Recital 104 says.").search("Recital 104 explains why.")
    # a provision named but not asked about, or none named
    assert provision("Is Article 50 a problem for my chatbot?") is None
    assert provision("What are the remaining duties that Article 53(2) requires providers to "
                     "meet?") is None  # the duties are the ask, not the provision
    assert provision("Explain Article 50.").search("Article 50, the transparency duties")
    assert provision("What does the Act say about open source?") is None


def test_the_paragraphs_naming_a_provision_with_what_they_point_back_to():
    body = ("Two duties remain:\n- Point (c): copyright.\n- Point (d): a summary.  \n"
            "Recital 104 explains why. Releasing a model reveals little. More text here.\n\n"
            "Neither exemption applies to systemic-risk models. Recital 104 says that, for "
            "such models, openness is not enough. Article 51(2) presumes risk. Unrelated.")
    assert naming(body, provision("What does Recital 104 say?")) == [
        "Two duties remain:\n- Point (c): copyright.\n- Point (d): a summary.",
        "Recital 104 explains why.\nReleasing a model reveals little.",
        "Neither exemption applies to systemic-risk models.\nRecital 104 says that, for such "
        "models, openness is not enough.\nArticle 51(2) presumes risk."]
    # a lead-in that names it brings its whole list
    assert naming(body, provision("What does Article 53(1) say?"), most=2) == []
    listed = "Two duties in Article 53(1) remain:\n- (c) copyright;\n- (d) a summary.\nMore."
    assert naming(listed, provision("What does Article 53(1) say?"), most=2) == [
        "Two duties in Article 53(1) remain:\n- (c) copyright;\n- (d) a summary."]
    assert naming(body, provision("What does Recital 102 say?")) == []
    # 'it' inside a sentence does not point back, and no paragraph comes twice
    twice = ("Recital 102 describes a licence.\n\nRecital 102 adds that it may ask for credit."
             "\n\nOther text.")
    assert naming(twice, provision("What does Recital 102 say?")) == [
        "Recital 102 describes a licence.", "Recital 102 adds that it may ask for credit."]
    # a lead-in after the naming sentence brings its list too
    names = "Recital 103 excludes paid components. It names:\n- support fees;\n- data use.\nEnd."
    assert naming(names, provision("What does Recital 103 say?")) == [
        "Recital 103 excludes paid components.\nIt names:\n- support fees;\n- data use."]


def test_what_a_provision_says_is_its_section_or_the_sentences_naming_it(full):
    """'What does Article 2(12) say?' is its section, exceptions and all; a recital with no
    section of its own is the paragraphs that name it. No model call: the model mixed the
    provisions up ('Article 54(6) states that ... must be released under a free licence')."""
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("What does Article 2(12) of the EU AI Act say?")
    assert answer.backend == "facts" and answerer._backend is None
    assert answer.text.startswith("Article 2(12) says the Regulation does not apply")
    assert all(word in answer.text for word in ("high-risk", "Article 5", "Article 50"))
    answer = answerer.ask("What does Article 54(6) of the EU AI Act say?")
    assert "authorised representative" in answer.text
    answer = answerer.ask("What does Recital 104 of the AI Act say?")
    assert "not a sufficient reason" in answer.text and "systemic risk" in answer.text
    assert len(answer.passages) == 2 and answer.citations == [1, 2]
    answer = answerer.ask("What does Recital 102 say?")  # no 'AI Act': still on topic
    assert answer.backend == "facts" and answer.text.count("Recital 102 adds") == 1
    answer = answerer.ask("What does Recital 103 say?")
    assert "charging for technical support" in answer.text  # the list 'It names:' brings


def test_what_a_how_does_it_treat_question_asks_about():
    assert treated("How does the EU AI Act treat open-source AI systems?") >= {"system"}
    assert "gpai" in treated("How does the AI Act treat general-purpose AI models?")
    assert treated("How are GPAI models with systemic risk treated?") >= {"systemic", "risk"}
    assert treated("What does the AI Act say about monetisation?") == {"monetisation"}
    assert treated("What does Article 2(12) say?") == set()
    title = "How the EU AI Act treats free and open-source AI"
    systems = treated("How does the EU AI Act treat open-source AI systems?")
    assert heads("Article 2(12): open-source AI systems", title, systems) == 1
    assert heads("The systemic-risk exception", title, systems) == 0  # 'systemic' is not 'system'
    risky = treated("How are open-source GPAI models with systemic risk treated?")
    assert heads("The systemic-risk exception", title, risky) == 2  # two of its three words
    assert heads("Articles 53(2) and 54(6): open-source GPAI models", title, risky) == 1
    assert heads("Scope of this article", title, risky) == 0


def test_how_the_act_treats_a_subject_is_the_section_headed_by_it(full):
    """'How does the EU AI Act treat open-source AI systems?' is Article 2(12)'s section, its
    exceptions as the page states them; the model had turned them into what it exempts. A
    section the chunker split in two comes back whole."""
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("How does the EU AI Act treat open-source AI systems?")
    assert answer.backend == "facts" and answerer._backend is None
    assert answer.text.startswith("Article 2(12) says the Regulation does not apply")
    answer = answerer.ask("How does the EU AI Act treat GPAI models under an open-source "
                          "licence?")
    assert answer.text.startswith("Article 53(1) lists four obligations")
    assert "systemic risk" in answer.text and answer.text.count("Point (a)") == 1
    answer = answerer.ask("How are open-source GPAI models with systemic risk treated under "
                          "the AI Act?")
    assert answer.text.startswith("Neither open-source exemption applies")


def test_list_questions_get_every_item_of_the_source_without_a_model_call(full):
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("What are the arguments for keeping AI models closed?")
    assert answer.backend == "facts" and answerer._backend is None
    assert [line.split(":")[0] for line in answer.text.splitlines()] == [
        "- Safety and misuse", "- Peak quality", "- Support and accountability",
        "- Updates without new downloads"]
    assert answer.citations == [1, 2, 3, 4]
    # what a system needs to count as open source: the OSI definition's three requirements
    answer = answerer.ask("According to the OSI, what does an AI system need in order to count "
                          "as open source AI?")
    assert [line.split(":")[0] for line in answer.text.splitlines()] == [
        "- The four freedoms", "- Required elements", "- Required elements"]
    # the page the question names by its subject, though its own passages rank below
    # the glossary's and the open-source page's (whose list is the software definition's)
    answer = answerer.ask("What does the Open Source AI Definition require?")
    assert [line.split(":")[0] for line in answer.text.splitlines()] == [
        "- The four freedoms", "- Required elements", "- Required elements"]
    assert "ten criteria" not in answer.text
    # the arguments asked about are those of the page its title names, even when a passage
    # of the page for the other side ranks first; 'safety' is one item: that item, argued
    answer = answerer.ask("What are the safety arguments for keeping AI models closed?")
    assert "Auditability" not in answer.text and "Local deployment" not in answer.text
    assert answer.text.startswith("Safety and misuse (Arguments for closed models")
    assert "The argument: A developer that keeps the weights" in answer.text
    assert "Counter-argument: The same NTIA report" in answer.text
    # the page title's words ('open') name no item in particular: every level, in order
    answer = answerer.ask("What are the stages of the openness spectrum, from API-only to "
                          "fully open?")
    assert [line.split(":")[0] for line in answer.text.splitlines()] == [
        "- Level 1", "- Level 2", "- Level 3", "- Level 4"]
    assert answerer._backend is None


def test_one_argument_asked_about_gets_its_section_and_counter_argument(full):
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("Why might a business prefer a closed model for support and "
                          "accountability?")
    assert answer.backend == "facts" and answerer._backend is None
    assert answer.text.startswith("Support and accountability")
    assert '"AS IS" (section 3); The Qwen licence' in answer.text  # its list kept, in a line
    assert "Counter-argument: Support for open models can be bought" in answer.text
    assert answer.citations == [1] and answer.passages[0].section == "Support and accountability"
    # no 'argument' or 'why' in the question, but three words of the item's heading
    answer = answerer.ask("What does it mean to say open weights make AI more resilient, with "
                          "no single point of control?")
    assert answer.backend == "facts" and answerer._backend is None
    assert answer.text.startswith("Resilience and no single point of control")
    assert "No single company can withdraw the model" in answer.text


def test_two_terms_compared_get_the_section_that_compares_them(full):
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("What is the difference between open-weight and open-source models?")
    assert answer.backend == "facts" and answerer._backend is None
    assert answer.passages[0].section == "Open source versus open weight"
    lines = answer.text.splitlines()
    assert lines[1].startswith("- Open weight:") and lines[2].startswith("- Open source AI")
    assert lines[3] == "" and "most open-weight models are not open source" in lines[4]
    # a comparison of two models is not a comparison of terms (a fake model: no wait for it)
    answerer = Answerer(full.settings, retriever=full, backend=fake_backend("Written [1]."))
    answer = answerer.ask("What is the difference between the licences of Llama 3.1 and "
                          "Mistral 7B?")
    assert not answer.text.startswith("The two terms")


def test_an_argued_section_is_cut_to_its_labelled_paragraphs():
    from app.answer import section_gist

    body = ("**The argument.** One. Two. Three. Four.  \n**Counter-argument.** It is not so:\n"
            "- first point.\n- second point.")
    assert section_gist(body) == ["The argument: One. Two. Three.",
                                  "Counter-argument: It is not so: first point; second point."]
    assert section_gist("A plain section. Without labels.") == []


def test_a_bulleted_list_is_read_whole_with_its_lead_in():
    from app.answer import bulleted

    body = ("Recital 103 says monetised components are excluded. It names:\n"
            "- charging for **support**;\n- using personal data.\n\nAfter the list.")
    assert bulleted(body) == ("Recital 103 says monetised components are excluded. It names:",
                              ["charging for support", "using personal data"])
    assert bulleted("No list here: just a colon.") is None
    assert bulleted("One item only:\n- alone") is None


def test_a_list_a_passage_holds_is_given_whole_without_a_model_call(full):
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("What does a typical open-weight model release contain?")
    assert answer.backend == "facts" and answerer._backend is None
    lines = answer.text.splitlines()
    assert lines[0].startswith("A typical open-weight release contains") and len(lines) == 5
    assert "tokenizer" in answer.text and answer.citations == [1]
    # a list on the page's subject that does not name what is asked is not the answer
    answer = answerer.ask("What does a model need to reach the highest class of the Model "
                          "Openness Framework?")
    assert not answer.text.startswith("It is a ranked classification"), answer.text
    # a yes/no question is not answered with a list
    answer = answerer.ask("Does a typical open-weight model release contain training data?")
    assert answer.backend != "facts" or not answer.text.startswith("A typical")


def test_the_list_of_a_page_whose_heading_names_the_ask_is_chosen(full):
    """Every list of the best passages' pages competes, its heading counting most: the
    duties that remain (a passage ranked below three others of its page), not the exemption."""
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("If an open-source general-purpose AI model is exempt under the AI "
                          "Act, what does its provider still have to do?")
    assert answer.backend == "facts" and answerer._backend is None
    assert "two obligations in Article 53(1) remain" in answer.text
    assert "copyright" in answer.text and "summary of the content" in answer.text
    answer = answerer.ask("What counts as monetisation that takes a model out of the AI Act's "
                          "open-source exemptions?")
    assert "technical support" in answer.text and "personal data" in answer.text


def test_items_named_in_a_question_get_their_sections(full):
    """Two items of one page ('regulation', 'competition between countries'), an argument
    asked as yes/no, and 'always' answered by a counter-argument: the page's words, cited,
    no model call."""
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("Why does openness matter for regulation and for competition "
                          "between countries?")
    assert answer.backend == "facts" and answerer._backend is None, answer.text
    assert "EU AI Act" in answer.text and "China" in answer.text
    assert {p.section for p in answer.cited} >= {"Regulation", "Competition between countries"}
    answer = answerer.ask("Is running your own open model always cheaper than an API?")
    assert answer.text.startswith("Not always.") and "Counter-argument" in answer.text
    assert answerer._backend is None


def test_a_duty_claimed_lifted_that_a_list_says_remains_is_corrected(full):
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("Why does the AI Act's open-source exemption remove the "
                          "copyright-policy duty for open GPAI models?")
    assert answer.backend == "facts" and answerer._backend is None
    assert answer.text.startswith("The premise is not right")
    assert "remain" in answer.text and "summary of the content" in answer.text
    assert [p.source_id for p in answer.cited] == ["eu-ai-act-open-source"]


def test_a_rewrite_that_loses_what_the_follow_up_names_is_not_used():
    from app.answer import keeps_what_it_names
    from app.settings import ROOT

    corpus = ROOT / "corpus"
    asked = "Is Codestral under the same terms, so I can ship it in production?"
    assert keeps_what_it_names(asked, "Is Mistral 7B under the Apache License?", corpus) == asked
    kept = "Is Codestral under the Apache 2.0 terms of Mistral 7B, so can I ship it?"
    assert keeps_what_it_names(asked, kept, corpus) == kept
    # the use asked about ("ship it in production") lost: the follow-up as asked
    assert keeps_what_it_names(asked, "Is Codestral under the same terms as Mistral 7B?",
                               corpus) == asked
    rewritten = "What is Llama 3.1's training data?"  # the follow-up named nothing itself
    assert keeps_what_it_names("What about its training data?", rewritten, corpus) == rewritten
    # naming nothing, it still asks a use: a rewrite that loses it is not used
    asked = "Does it put any limit on how big my company can be?"
    assert keeps_what_it_names(asked, "Does the Llama 3.1 licence restrict whom I hire?",
                               corpus) == asked
    # the change asked about turned into 'the same terms': its yes would read as a no
    asked = "Did that change with the newest generation?"
    assert keeps_what_it_names(asked, "Did the newest generation of Gemma use the same terms "
                               "as the previous generations?", corpus) == asked
    kept = "Did the Gemma licence change with the newest generation?"
    assert keeps_what_it_names(asked, kept, corpus) == kept


def test_a_follow_up_kept_as_asked_gets_the_names_of_the_last_question():
    from app.answer import Turn, with_subject
    from app.settings import ROOT

    history = [Turn(role="user", content="What licence is Llama 3.1 released under?"),
               Turn(role="assistant", content="The Llama 3.1 Community License Agreement.")]
    asked = "Does it put any limit on how big my company can be?"
    assert with_subject(asked, history, ROOT / "corpus") == f"{asked} (Llama 3.1)"
    named = "Is Codestral under the same terms?"  # it names its own subject: as asked
    assert with_subject(named, history, ROOT / "corpus") == named


def test_a_follow_up_that_names_another_subject_asks_the_last_question_of_it():
    from app.answer import Turn, swapped_subject
    from app.settings import ROOT

    corpus = ROOT / "corpus"
    history = [Turn(role="user", content="Does the MIT licence include a patent grant?"),
               Turn(role="assistant", content="Not expressly.")]
    # the model had rewritten it 'What is the Apache License?', losing the patent grant
    assert swapped_subject("And Apache 2.0?", history, corpus) == (
        "Does the Apache 2.0 licence include a patent grant?")
    assert swapped_subject("What about Gemma 4?", [
        Turn(role="user", content="Is Gemma 3 open source?")], corpus) == "Is Gemma 4 open source?"
    # more than a name changes the ask; a last question that named nothing: the model's work
    assert swapped_subject("What about with 800 million users?", history, corpus) is None
    assert swapped_subject("And Apache 2.0?", [Turn(role="user", content="Why not?")],
                           corpus) is None


def test_a_follow_up_asking_a_fact_takes_the_name_asked_about_before_as_written():
    from app.answer import Turn, with_subject
    from app.settings import ROOT

    history = [Turn(role="user", content="Is Phi-4 open weights?"),
               Turn(role="assistant", content="Yes."),
               Turn(role="user", content="Is its training data published?"),
               Turn(role="assistant", content="No.")]
    # 'Phi-4' as written (the name means four releases), from the latest turn that named one
    assert with_subject("Which licence?", history, ROOT / "corpus",
                        as_written=True) == "Which licence? (Phi-4)"


@pytest.mark.parametrize("question,parts", [
    ("When did OpenAI release gpt-oss, and when had it last released open weights before "
     "that?", ["When did OpenAI release gpt-oss?",
               "When had it last released open weights before that?"]),
    ("What are the classes of the Model Openness Framework, and when was it first published?",
     ["What are the classes of the Model Openness Framework?", "When was it first published?"]),
    ("What licence do the Qwen3 models use, and how is that different from Qwen2.5-72B?",
     ["What licence do the Qwen3 models use, and how is that different from Qwen2.5-72B?"]),
    ("How do the Qwen licence and the Llama 3.1 licence treat outputs?",
     ["How do the Qwen licence and the Llama 3.1 licence treat outputs?"]),
    ("Is it open, and why?", ["Is it open, and why?"]),  # too short to be a question of its own
])
def test_a_question_is_split_into_the_questions_it_asks(question, parts):
    from app.answer import asks

    assert asks(question) == parts


@pytest.mark.parametrize("first,second,carried_", [
    ("When did OpenAI release gpt-oss?", "When had it last released open weights before that?",
     "When had OpenAI last released open weights before that?"),
    ("What are the classes of the Model Openness Framework?",
     "When was the framework first published?",
     "When was the Model Openness Framework first published?"),
    ("When was BLOOM released?", "How big is it?", "How big is BigScience BLOOM?"),
    ("What are a model's weights?", "Are they the same as parameters?",
     "Are they the same as parameters?"),  # nothing to point back to: kept whole
])
def test_the_second_ask_spells_out_what_it_points_back_to(first, second, carried_):
    from app.answer import carried
    from app.entities import catalogue
    from app.settings import ROOT

    assert carried(second, first, catalogue(ROOT / "corpus")) == carried_


def test_citations_are_renumbered_in_rendered_text():
    from app.answer import renumbered

    assert renumbered("Yes [1][3]. Also [2].", {1: 4, 3: 5}) == "Yes [4][5]. Also [2]."


@pytest.mark.parametrize(("question", "against"), [
    ("What are the arguments against open-weight models?", "open"),
    ("Why do some people argue that open models are dangerous?", "open"),
    ("Are open-weight models dangerous?", "open"),
    ("Why are closed models risky?", "closed"),
    ("What are the dangers of releasing weights?", "open"),
    ("What are the risks of keeping AI models closed?", "closed"),
    ("What are the risks of open-weight models?", "open"),
    ("What are the downsides of open-weight models for companies?", "open"),
    ("What are the arguments for open models?", None),
    ("Is the EU AI Act dangerous for startups?", None),
])
def test_the_kind_of_model_a_question_argues_against(question, against):
    assert case_against(question) == against


def test_harm_questions_get_the_other_sides_case_in_the_pages_words(full):
    """'Are open models dangerous?' is the safety argument for closed models and its counter;
    'Why are closed models risky?' the case for open models. The model had answered with
    open-washing, which is no danger argument."""
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    for question in ("Why do some people argue that open models are dangerous?",
                     "What are the dangers of releasing weights?"):
        answer = answerer.ask(question)
        assert answer.backend == "facts" and answerer._backend is None
        assert answer.text.startswith("Safety and misuse") and "Counter-argument" in answer.text
    answer = answerer.ask("Why are closed models risky?")
    assert answer.text.startswith("The case against closed models is the case made for open")
    assert "- Auditability" in answer.text


def test_a_question_restating_a_question_like_heading():
    heading = "Which models passed: the validation results"
    assert restates(heading, "Which models passed when the OSI tested it?") == 2
    assert restates(heading, "Which AI systems passed the OSI's validation exercise?") == 2
    assert restates("Who signed the Code", "Who signed the Code of Practice?") == 3
    assert restates("Why developers keep models closed", "Why do developers keep models "
                    "closed?") == 4  # 'do' is filler
    assert restates("What is published", "What is published for OLMo?") == 0  # two words
    assert restates("Scope of this article", "Scope of this article?") == 0  # not a question
    assert restates(heading, "Which models failed?") == 0


def test_plain_text_has_no_table_pipes_or_link_leftovers():
    table = "Five passed.\n\n| Result | Systems |\n| --- | --- |\n| Passed | A, B |\n| No | C |"
    assert plain(table) == "Five passed.\n\n- Passed: A, B.\n- No: C."
    linked = "It is disputed. See [A](a.md) and [B](b-c.md).\nNext."
    assert "md)" not in plain(linked) and plain(linked).endswith("Next.")


def test_a_question_restating_a_heading_is_that_section(full):
    """'Which models passed ...?' is the validation section, its table as items; the
    follow-up's rewrite had lost 'tested' and the model named none of them (hard-006)."""
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("Which models passed when the OSI published its Open Source AI "
                          "Definition?")
    assert answer.backend == "facts" and answerer._backend is None
    assert "Pythia" in answer.text and "OLMo" in answer.text and "|" not in answer.text


def test_open_and_closed_compared_on_one_factor_get_both_sides_of_its_section(full):
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("How do open and closed models compare on cost?")
    assert answer.backend == "facts" and answerer._backend is None
    # the comparison page's 'Cost at scale': closed pays per use, open weight pays for
    # hardware (the model had swapped the two)
    assert answer.text.startswith("Closed: you pay per use")
    assert "Open weight: there is no usage fee" in answer.text


def test_an_example_question_gets_the_sentence_that_names_one(full):
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("What's an example of a model that is very well documented but "
                          "still has a restrictive licence?")
    assert answer.backend == "facts" and "as BLOOM does" in answer.text, answer.text
    assert "Phi-3" not in answer.text


def test_who_made_a_framework_is_the_sentence_that_says_so(full):
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("Who created the Model Openness Framework?")
    assert answer.backend == "facts" and "Linux Foundation" in answer.text, answer.text


def test_what_happened_to_a_model_is_told_from_its_page(full):
    from app.answer import Answerer

    # meta-llama-1, 'How it is accessed': the model had said the weights were published later
    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("What happened with the Llama 1 weights leak?")
    assert answer.backend == "facts" and "4chan" in answer.text, answer.text
    assert "did not change the licence" in answer.text, answer.text


def test_a_list_item_the_question_names_by_its_label_is_quoted(full):
    from app.answer import Answerer

    # openness-frameworks: the model had answered "MOF Class I" with the BSD conditions
    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("What does MOF Class I require?")
    assert answer.backend == "facts" and "training datasets" in answer.text, answer.text
    assert "Class II, Open Tooling" not in answer.text


def test_why_choose_a_side_lists_that_sides_arguments(full):
    from app.answer import Answerer

    answerer = Answerer(full.settings, retriever=full)
    answer = answerer.ask("Why would a company choose a closed model?")
    assert [line.split(":")[0] for line in answer.text.splitlines()] == [
        "- Safety and misuse", "- Peak quality", "- Support and accountability",
        "- Updates without new downloads"]
    answer = answerer.ask("What should I check in a model licence before I ship?")
    assert answer.text.splitlines()[0].startswith("- Identify the exact licence: Find the "
                                                  "licence file")
    assert len(answer.text.splitlines()) == 7


@pytest.mark.parametrize("question,alone", [
    ("What does the OSI Open Source AI Definition require?", True),
    ("Is Gemma open source?", True),  # names its own subject
    ("Which licence?", False),
    ("Can I sell a product built on it?", False),
    ("And Mistral 7B?", False),
    ("Is Codestral under the same terms, so I can ship it in production?", False),
])
def test_a_question_that_points_back_to_nothing_is_not_rewritten(question, alone):
    """Asked in a chat after a Gemma question, 'What does the OSI definition require?' had
    been answered about Gemma's published components."""
    from app.answer import stands_alone

    assert stands_alone(question, ROOT / "corpus") is alone
