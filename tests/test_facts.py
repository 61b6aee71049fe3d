"""Fact answers from the tables: verdicts read by hand from the licence texts and the models
table, the structured licence facts checked against ScanCode's texts, and the end-to-end
fact path through the real index (no model call)."""

import re

import pytest

from app import facts
from app.entities import catalogue
from app.load import FACT_KEYS, licence_data_dir, read_licence_facts, read_licence_list
from app.settings import ROOT

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def cat():
    return catalogue(CORPUS)


@pytest.fixture(scope="module")
def table():
    return read_licence_facts(CORPUS)


def plan(question, cat, table):
    return facts.plan(question, cat.link(question), cat, table)


def text(draft) -> str:
    return " ".join(t for t, _ in draft.sentences)


# (question, verdict, a phrase the answer must hold): each verdict read from the licence text
# or the models table by hand, not from this code's output.
VERDICTS = [
    ("Can I use Llama 3.1 in a product with 900 million users?", "conditional",
     r"700 million"),  # Llama 3.1 section 2
    ("Can I use Llama 3.1 in a product with 300 million users?", "yes", r"below the 700"),
    ("Is Llama 2 released under the Apache 2.0 license?", "no",
     r"Llama 2 Community License"),
    ("Does the Apache 2.0 license give me any patent rights?", "yes", r"section 3"),
    ("Does the MIT licence grant patent rights?", "no", r"(?i)not (mention|address)"),
    ("Does CC BY-NC 4.0 allow commercial use?", "no", r"(?i)noncommercial"),
    ("Does the Apache 2.0 licence forbid commercial use?", "no", r"(?i)commercial"),
    ("Can I use Llama 2 outputs to train another model?", "no", r"1\.b\.v"),
    ("Is GPT-4o open source?", "no", r"(?i)only through an API"),
    ("Can I download the weights of Claude 3.5 Sonnet?", "no", r"(?i)only through an API"),
    # what else it asks needs the weights first; 'run it on my own laptop' is running them
    ("Can I fine-tune Claude 3.5 Sonnet and release the weights?", "no",
     r"(?i)only through an API"),
    ("Can I run GPT-4o on my own laptop?", "no", r"(?i)weights are not published"),
    ("Is Gemma open source?", "depends", r"Gemma 4"),  # Gemma 4 is Apache-2.0, 1-3 are not
    ("Is the training data of OLMo published?", "yes", r"(?i)training data"),
    ("Is Apache 2.0 an OSI-approved licence?", "yes", r"OSI-approved"),
    # openness components of the table's rows and the licences added for December 2026
    ("Are intermediate training checkpoints of OLMo 2 published?", "yes",
     r"intermediate checkpoints are published openly"),
    ("Is the training code of GPT-4 published?", "no", r"training code is not published"),
    ("Is Pythia open source?", "yes", r"OSI's validation .* listed Pythia"),
    ("Is Qwen2.5-3B released under Apache 2.0?", "no", r"Qwen Research"),
    ("Does the NVIDIA Open Model License allow commercial use?", "yes", r"(?i)commercial"),
    ("Does the LLaMA 1 licence allow commercial use?", "no", r"(?i)non-?commercial"),
    # copyleft asked as a property, or as a duty the question does not say is triggered:
    # Llama 3.1 section 5.b (no copyleft), MPL-2.0 section 3 (file-level), GPL-3.0 sections 5-6
    # (only on conveying), DeepSeek paragraph 4 (own terms, restrictions passed on)
    ("Is the Llama 3.1 licence copyleft?", "no", r"no copyleft clause"),
    ("Is the MPL 2.0 copyleft?", "yes", r"(?i)file-level"),
    ("Do I have to release my changes under the GPL-3.0?", "conditional",
     r"Only if you distribute .* convey a modified version"),
    ("Does the DeepSeek licence have a copyleft clause?", "no", r"different licence terms"),
    ("Can I download the weights of Grok-1?", "yes", r"downloadable.*Apache"),
    # a year is not a user count; a licence's own name is not a nuance; the model named first
    ("Does the April 2024 version of the Gemma Terms of Use allow commercial use?", "yes",
     r"(?i)commercial use is not restricted"),
    ("Does the Stability AI Non-Commercial Research Community License allow commercial use?",
     "no", r"(?i)not licensed"),
    ("Do OpenAI's terms of use let me use ChatGPT output to develop a model that competes "
     "with OpenAI?", "no", r"compete"),
    ("Is Qwen2.5-3B released under Apache 2.0 like the other small Qwen2.5 models?", "no",
     r"Qwen Research"),
    # uses a licence or the use policy it incorporates forbids (Llama 4 policy item 2.a,
    # BigScience RAIL 1.0 Attachment A item 12, Apache 2.0 section 2)
    ("Does the Llama 4 acceptable use policy allow military uses?", "no", r"2\.a"),
    ("Can I use Llama 4 Scout for military purposes?", "no",
     r"incorporates the Llama 4 Acceptable Use Policy"),
    # giving medical advice is the very use item 12 / item (l) forbids: no, not "partly"
    ("Can I use BLOOM to give medical advice?", "no", r"item 12"),
    ("Am I allowed to build a medical-advice chatbot on a model released under the "
     "BigScience Open RAIL-M licence?", "no", r"Attachment A item \(l\)"),
    # a licence without structured facts: the models table's commercial-use column (MNPL-0.1)
    ("Can I use Codestral commercially?", "no", r"Non-Production License"),
    ("Can I ship Codestral 22B in production?", "no", r"non-production environments"),
    ("Does the Apache 2.0 licence allow military use?", "yes", r"field-of-use"),
    # "original": the first release a name may mean (DeepSeek-V3, not V3-0324 under MIT)
    ("Are DeepSeek-V3's original Base and Chat weights under an OSI-approved licence?", "no",
     r"DeepSeek License Agreement"),
    # use policies: whether a licence restricts use at all (no flip on "restrict")
    ("Does the Apache 2.0 licence restrict how I use the software?", "no",
     r"no acceptable-use policy"),
    ("Does Llama 3.1 have an acceptable use policy?", "yes", r"Acceptable Use Policy"),
    # how far a copyleft reaches: GPL-3.0 section 5(c), the entire work
    ("If I modify a GPL-3.0 program and ship it in my product, does the whole program have "
     "to be under the GPL?", "yes", r"entire work"),
    # a comparison with a purpose: the use asked about first, then the other side
    ("Is Codestral under the same terms as Mistral 7B, so I can ship it in production?", "no",
     r"Non-Production.*Mistral 7B is released under the Apache License 2\.0"),
    ("Is Mistral 7B under the same licence as Mixtral 8x7B, so I can use it commercially?",
     "yes", r"Mixtral 8x7B is released under the Apache License 2\.0"),
    # a ban the licence does not make is a false premise (Qwen section 5.b, Apache section 2)
    ("Since the 2024 Qwen License bans using Qwen outputs to train other models, how can I get "
     "around it?", "no", r"premise is not right.*Built with Qwen"),
    ("Why does the MIT licence prohibit commercial use?", "no", r"premise is not right"),
    # what one's own licence terms must include when passing a RAIL model on: paragraph 4
    ("When I publish a fine-tuned Stable Diffusion checkpoint under the CreativeML Open RAIL-M, "
     "what must my own licence terms include?", None, r"pass on the use restrictions"),
    # the licence named decides, though "Qwen outputs" also names the family
    ("Does the Qwen License let me use Qwen outputs to train other models?", "conditional",
     r"section 5\.b"),
    # running it for others over a network (GPL-3.0 section 0, AGPL-3.0 section 13)
    ("If I modify a GPL-3.0 program and only run it as a web service, do I have to release "
     "my changes?", "no", r"not conveying"),
    ("If I run an unmodified AGPL-3.0 program as a public web service, does section 13 oblige "
     "me to offer users the source?", "no", r"only to a modified version"),
    ("If I host a modified AGPL-3.0 program for users over a network, must I share the source "
     "of my changes?", "yes", r"Corresponding Source"),
    ("Can I run DeepSeek-V3 under the DeepSeek License Agreement as a software-as-a-service "
     "product?", "conditional", r"(?s)DeepSeek-V3 is released.*paragraph 5"),
    ("Can I offer Stable Diffusion 3.5 to customers as a hosted API?", "conditional",
     r"registe"),
    # a family under several licences: each licence's answer (Gemma 1-3 terms, Gemma 4 Apache)
    ("Can I offer a Gemma model to my customers as a hosted API?", "yes",
     r"(?s)conditions that differ by version.*section 3\.2.*Gemma 4 \(Apache"),
    ("Does Google claim any rights in the text my app generates with Gemma?", "no",
     r"claims no rights in the Outputs"),
    # marking changes (MIT has no such duty; Apache 2.0 section 4(b)), names and marks
    ("Does the MIT License oblige me to mark or describe the modifications I make?", "no",
     r"no duty to mark"),
    ("Must I say what I changed when I redistribute Apache-2.0 code?", "yes", r"4\(b\)"),
    # a duty asked the other way round: may I drop it? (Apache 2.0 section 4(d), MIT's
    # notice condition, Llama 3.2 section 1.b.i); forbidding the drop is the duty itself
    ("Does Apache 2.0 let me remove the NOTICE file?", "no", r"NOTICE file attributions"),
    ("Can I remove the copyright notice from MIT-licensed code?", "no", r"must be included"),
    ("Can I ship a Llama 3.2 app without the \"Built with Llama\" notice?", "no",
     r"Built with Llama"),
    ("Can I strip the licence text when I redistribute Mistral 7B?", "no",
     r"copy of the licence"),
    ("Does Apache 2.0 forbid removing the attribution notices?", "yes", r"attribution notices"),
    # a licence Faultline holds no clauses for: the rule the table's row records (Meta
    # Llama 3 section 1.b.v; xAI's Grok 2 terms)
    ("Can I train a model on Llama 3 outputs?", "no", r"no using outputs to improve other"),
    ("Can I use Grok 2 outputs to train my own model?", "no", r"train other foundation"),
    ("Does the Meta Llama 3 licence have a user limit?", "yes", r"700 million"),
    ("Can I use Meta Llama 3 in a product with 900 million users?", "conditional",
     r"above the 700 million threshold"),  # the count against the row's recorded threshold
    ("Can I use GPT-2 commercially?", "yes", r"Modified MIT"),  # the MIT grant, unchanged
    # a threshold that brings a duty, not a licence to ask for (Kimi K2's display rule)
    ("Can I use Kimi K2 in a product with 200 million users?", "conditional",
     r"no separate licence is needed"),
    # a duty to share asked of a licence: Apache section 4 (no copyleft), GPL-3.0 only on
    # conveying; a product in an app is commercial use (Llama 3.1 section 2)
    ("Does the Apache licence require me to share my source code?", "no", r"no copyleft"),
    ("Must I share my code if I use a GPL-3.0 library in my product?", "conditional",
     r"Only if you distribute"),
    ("Can I put Llama 3.1 in a mobile app?", "conditional", r"700 million"),
    # a revenue measured against the licence's revenue threshold (Stability AI Community
    # License section III: US$1,000,000 a year), a count equal to the threshold asked
    # "above", a licence needed or not, a duty dropped above Kimi K2's threshold
    ("Can a company with $5 million revenue use Stable Diffusion 3.5 for free?", "conditional",
     r"US\$5 million in annual revenue is above the US\$1 million threshold"),
    ("Can a startup with $500,000 in annual revenue use Stable Diffusion 3.5 commercially?",
     "yes", r"below the US\$1 million threshold"),
    ("Does Qwen2.5-72B need a licence above 100 million users?", "yes",
     r"above it you need a separate licence"),
    ("Do I need a licence from Meta to use Llama 3.1 with 2 million users?", "no",
     r"below the 700 million"),
    ("Can a company with $30 million monthly revenue use Kimi K2 without showing its name?",
     "no", r"US\$30 million in monthly revenue"),
    ("Can I build a competitor to OpenAI using gpt-oss?", "yes", r"Apache"),
    ("Can I use the name of a BSD-3-Clause project's organisation to promote my product?",
     "conditional", r"prior written permission"),
    ("Does the Gemma licence let me use Google's logo in my ads?", "no", r"(?i)section 4\.2"),
    ("Does the Llama 3.1 Community License Agreement place any restrictions on the size of "
     "your company?", "yes", r"700 million"),
    # "only through an API" asks the weights the other way round
    ("Is GPT-4o only available through an API?", "yes", r"weights are not published"),
    ("Is Claude API-only?", "yes", r"Claude 3"),
    ("Is Llama 3.1 only available through an API?", "no", r"downloadable"),
    # a licence named after 'under'; 'all of them' when only some are; 'like X was'
    ("Are all of Mistral's open models under Apache 2.0?", "no",
     r"(?s)not all of them.*Research License"),
    ("Is Falcon 180B under Apache 2.0 like Falcon-40B was?", "no",
     r"(?s)Falcon-180B TII License.*hosted-service use"),
    # a file-level copyleft does not reach the whole app (MPL-2.0 sections 3.1 and 3.3)
    ("If I change one MPL-2.0 file and ship it inside my proprietary app, does the whole app "
     "have to be under the MPL?", "no", r"file-level"),
    # Qwen License section 4 binds commercial users only; SD 3.5's Community License section
    # III needs registration for commercial use; OpenMDW's outputs paragraph restricts nothing;
    # MPL-2.0 section 3.2 and GPL-3.0 section 6 want source with executables, Apache 2.0 not
    ("If I only use Qwen2.5-72B for non-commercial research, does the Qwen licence's user "
     "threshold apply to me?", "no", r"commercial use only"),
    ("Is there any sign-up step with Stability AI before I use SD 3.5 in a paying product?",
     "yes", r"register with Stability AI"),
    ("Does OpenMDW-1.0 restrict what I can do with the outputs a model generates?", "no",
     r"no restrictions or obligations"),
    ("If I ship only a compiled executable of MPL-2.0 code, do I still have to make its source "
     "available?", "yes", r"source stays available"),
    ("If I ship a compiled GPL-3.0 program, do I have to provide the source?", "yes",
     r"Corresponding Source"),
    ("If I distribute a binary of Apache 2.0 code, must I publish the source?", "no",
     r"no copyleft"),
    # Gemma Terms of Use section 1.1(e): a model distilled from Gemma's outputs to perform
    # similarly is a Model Derivative; Qwen License section 5.b: 'Built with Qwen' for a model
    # trained on its outputs and made available
    ("If I distil a smaller model from Gemma's synthetic outputs, is that new model still "
     "bound by the Gemma Terms of Use?", "yes", r"Model Derivative bound by these terms"),
    ("If I use Qwen outputs to train my own model and release it, does the Qwen licence "
     "require any attribution?", "yes", r"Built with Qwen"),
    # a member state is in the EU; Llama 4's EU clause names its own cases: multimodal models
    # withheld from EU-based companies, end users of products built on them exempt
    ("I run a startup based in France. Am I allowed to use the multimodal Llama 4 models under "
     "Meta's terms?", "no", r"EU-based companies"),
    ("My customers in Germany use a chat app I built on Llama 4 Maverick. Does the EU "
     "restriction in Meta's policy stop them from using it?", "no", r"exempts end users"),
    ("Can my customers in Italy use my app built on Llama 4 Scout?", "yes", r"exempts end users"),
    # the AI Act's free and open-source test: Recital 102, and the Commission's guidelines as
    # the glossary and the open-weight page report them (user thresholds, non-commercial)
    ("Under the EU AI Act guidelines, does a licence with a monthly-active-user threshold, "
     "like Llama's, count as free and open-source?", "no", r"user-count thresholds"),
    ("Does CC BY-NC 4.0 count as a free and open-source licence under the AI Act?", "no",
     r"(?i)non-?commercial"),
    ("Does Apache 2.0 count as a free and open-source licence under the AI Act?", "yes",
     r"Recital 102"),
    # a model must also publish its weights and not be monetised: a condition, not a yes
    ("Does Mistral 7B qualify for the AI Act's open-source exemptions?", "conditional",
     r"not monetised"),
    ("Does Qwen3 qualify for the AI Act's open-source exemptions?", "depends",
     r"Qwen3-Max is available only through an API"),
    # a licence across a family's releases, answered in the question's own words
    ("Did the licence change with the newest generation of Gemma?", "yes",
     r"Gemma 4 is released under the Apache.*Gemma 3.*Gemma Terms of Use"),
    ("Does the newest Gemma generation use the same terms as the earlier ones?", "no",
     r"Gemma Terms of Use"),
    ("When was the third generation of Claude released, and what were its tiered versions?",
     None, r"4 March 2024.*Haiku, Sonnet, Opus"),
    ("Does Meta's version of the Qwen License Agreement cap the number of users?", None,
     r"Qwen License Agreement( 2024)?: .*100 million.*Llama 4 Community License Agreement: .*700 "
     r"million"),
    ("Did the licence change with Llama 3.1 compared with earlier Llama releases?", "yes",
     r"Meta Llama 3 Community License"),
    # termination for breach: Llama 2 section 6, GPL-3.0 section 8; MIT has no such clause;
    # "MIT-licensed" names the licence asked about as "under MIT" does
    ("What happens if I break the Llama 2 acceptable use policy?", None,
     r"Section 6: Meta may terminate.*delete"),
    ("Can Meta terminate my Llama 3.1 licence?", "yes", r"breach any term"),
    ("What happens if I violate the GPL?", None, r"ends your rights automatically.*60 days"),
    ("Can the MIT licence be revoked?", None, r"Not expressly.*no termination clause"),
    # the access column decides a gate: Phi-4 downloads freely, Llama 3.1 is gated, GPT-4o
    # has no weights, Gemma 4 (Apache 2.0) is the ungated Gemma
    ("Is Phi-4 gated on Hugging Face?", "no", r"without a licence gate"),
    ("Is Llama 3.1 gated?", "yes", r"accept the licence terms"),
    ("Is GPT-4o gated?", "no", r"only through an API"),
    ("Is Gemma gated?", "depends", r"Gemma 4 is downloadable without"),
    # a use the terms leave to a policy that never names it: no verdict, and why
    ("Does the Gemma licence allow military use?", None,
     r"do not settle this.*Prohibited Use Policy.*never names military"),
    # openness compared from the table's weights, data and code columns
    ("Which is more open, Llama 3 or OLMo?", None, r"OLMo is more open than Meta Llama 3"),
    ("Is Mistral 7B more open than Pythia?", "no", r"Pythia is more open than Mistral 7B"),
    ("Is Llama 3 less open than OLMo?", "yes", r"training data not published"),
    # a developer's rows, all of them, by how each is reached
    ("What models has DeepSeek released?", None, r"10 models from DeepSeek.*DeepSeek-R1"),
    ("Which models did Mistral release?", None, r"(?s)Codestral 22B.*Only through an API"),
    # what a licence's use policy is: the clause that incorporates it
    ("What is the Llama 3.1 acceptable use policy?", None, r"incorporated by reference"),
    # every licence whose checked facts require the wording asked about
    ('Which licence requires me to display "Built with Llama"?', None,
     r"(?s)These licences.*Llama 3\.1.*Llama 3\.2.*Llama 3\.3.*Llama 4"),
    # 'do I get my rights back?' is answered by how the clause reinstates, not by a verdict
    ("Under the Llama 3.1 licence, do I get my rights back if I stop breaching it?", None,
     r"Meta may terminate"),
    ("Is DeepSeek-R1 MIT licensed?", "yes", r"MIT License"),
    ("Is Llama 3 MIT-licensed?", "no", r"Meta Llama 3 Community License"),
    # Apache 2.0 never mentions outputs: neither a yes nor a 'not expressly'
    ("Can I train another model on Qwen3's outputs?", None, r"does not mention model outputs"),
    # OpenAI's Terms of Use ban only models that compete with OpenAI
    ("Can I train my own model on GPT-4 outputs?", None, r"compete with OpenAI"),
    ("Can I use GPT-4o outputs to build a competing model?", "no", r"Business Terms"),
    ("Can I use Llama 3.3 to generate training data for Mistral?", "conditional",
     r"begin with “Llama”"),  # Llama 3.3 section 1.b.i
    # modify and sell: the modification clause and the revenue cap (sections IV(a), III)
    ("Can I modify Stable Diffusion 3.5 and sell it?", "conditional", r"1,000,000"),
    ("Can I use Codestral in my company's internal tools?", "no", r"non-production"),
    # fees, read from each grant: Apache's 'no-charge, royalty-free' (section 2), MIT's 'free
    # of charge', Llama 3.1's royalty-free grant with its section 2 threshold
    ("Is Mistral 7B free to use?", "yes", r"royalty-free"),
    ("Do I need to pay royalties for Apache 2.0 software?", "no", r"no-charge"),
    ("Is the MIT licence royalty-free?", "yes", r"free of charge"),
    ("Do I have to pay to use Llama 3.1?", "conditional", r"700 million"),
    ("Does Gemma 4 use Apache 2.0?", "yes", r"Apache License 2.0"),
    ("Does the Qwen licence apply to Qwen3?", "no", r"Qwen3, .*Apache License 2.0"),
    # licences known from a summary page, answered from the rows under them (models.yaml:
    # Mistral Large 2 and Ministral 8B commercial_use 'no'; Qwen2.5-3B not OSI-approved)
    ("Does the Mistral Research License allow commercial use?", "no",
     r"no copy of the text.*Mistral Large 2 and Ministral 8B"),
    ("Is the Qwen Research License open source?", "no", r"Qwen2\.5-3B"),
    ("Is Mistral Large 2 under the Mistral Research License?", "yes", r"MRL-0\.1"),
]


@pytest.mark.parametrize("question,verdict,phrase", VERDICTS, ids=[q for q, *_ in VERDICTS])
def test_fact_verdicts(cat, table, question, verdict, phrase):
    draft = plan(question, cat, table)
    assert draft is not None and draft.verdict == verdict, text(draft) if draft else None
    assert re.search(phrase, text(draft)), text(draft)


@pytest.mark.parametrize("question,rows,said", [
    ("What is the Mistral Research License?", r"Mistral Large 2 and Ministral 8B",
     r"research and other non-commercial use"),
    ("What is the MNPL?", r"Codestral 22B", r"non-production environments"),
    ("Tell me about the Qwen Research License.", r"Qwen2\.5-3B", r"non-commercial purposes only"),
])
def test_a_licence_known_from_a_summary_is_described_from_it(cat, table, question, rows, said):
    """No text of it is held: the rows under it, its summary's section (cited to the page),
    and a sentence saying it is a summary. The model had given the MRL the MNPL's terms."""
    draft = plan(question, cat, table)
    assert draft is not None and draft.fact == "described_licence"
    assert re.search(rows, draft.sentences[0][0]) and re.search(said, text(draft))
    pages = {sid for _, cites in draft.sentences for sid, _ in cites
             if not sid.startswith("model:")}
    assert len(pages) == 1 and pages.pop().startswith("summary-")
    assert "no copy of this licence's text" in draft.sentences[-1][0]


def test_what_it_would_need_to_qualify_is_what_stands_in_the_way(cat, table):
    draft = plan("What would Llama 3.1 need to qualify as open source?", cat, table)
    assert draft.sentences[0][0].startswith("For Llama 3.1 to be open source")
    assert re.search(r"training data", text(draft)) and draft.verdict is None


def test_a_use_the_clause_does_not_name_stays_partly(cat, table):
    draft = plan("Can I use a BLOOM model for hospital scheduling in healthcare?", cat, table)
    assert draft is None or draft.verdict != "no", text(draft)


def test_a_false_premise_is_corrected_first(cat, table):
    draft = plan("Since Claude's weights are on Hugging Face, how do I download them?", cat,
                 table)
    assert text(draft).startswith("Claude's weights are not published")
    draft = plan("Why did Meta put Llama 2 under the Apache 2.0 licence?", cat, table)
    assert text(draft).startswith("Llama 2 is not released under the Apache License 2.0")
    draft = plan("Why did the OSI approve Meta's Llama licence as open source?", cat, table)
    assert draft.verdict == "no" and text(draft).startswith("The OSI has not approved")
    assert "not open source: they forbid listed uses (an acceptable use policy)" in text(draft)
    assert ("osi-open-source-ai-definition", "cannot grant that freedom") in draft.sentences[-1][1]
    draft = plan("Why was Llama 2 certified by the OSI?", cat, table)
    assert draft.verdict == "no" and "not OSI-approved" in text(draft)
    assert plan("Why did the OSI approve the Apache 2.0 licence?", cat, table) is None  # true
    # a gate the table's checked notes say Phi-4 does not have ("MIT licence; no gate")
    draft = plan("Why does Microsoft make you accept a licence gate before downloading Phi-4?",
                 cat, table)
    assert draft.verdict == "no" and text(draft).startswith("The premise is not right: "
                                                            "Phi-4's weights are not gated")
    assert draft.sentences[1][1] == [("model:phi-4", "")]
    # an API-only model said to be open source; a downloadable one said to be API-only
    draft = plan("Since GPT-4o is open source, can I host it myself?", cat, table)
    assert draft.verdict == "no" and text(draft).startswith("No. GPT-4o is not open source: "
                                                            "its weights are not published")
    draft = plan("Why is Phi-4 only available through an API?", cat, table)
    assert draft.verdict == "no" and "Phi-4 is not API-only" in text(draft)
    assert "its weights are published, under the MIT License" in text(draft)
    # no note on Mistral 7B's gate either way: not corrected from the access column alone
    assert plan("Why is Mistral 7B gated on Hugging Face?", cat, table) is None


def test_the_ai_act_test_is_read_from_the_licence_facts(cat, table):
    draft = plan("Why did the European Commission decide that Llama's licence qualifies for "
                 "the AI Act's open-source exemptions?", cat, table)
    assert draft.verdict == "no" and text(draft).startswith("The premise is not right")
    assert "Llama 3.1 Community License Agreement 2024, Llama 3.2" in text(draft)
    assert "require a separate licence above a user or revenue threshold" in text(draft)
    cited = {c for _, cs in draft.sentences for c in cs}
    assert ("glossary", "such user thresholds do not count as free and open-source") in cited
    draft = plan("According to the European Commission's guidelines, which licence terms stop "
                 "a licence from counting as free and open-source under the AI Act?", cat, table)
    assert "non-commercial use" in text(draft) and "user-count thresholds" in text(draft)
    # a use policy alone: the guidelines accept narrow safety restrictions, so no verdict
    draft = plan("Does the Gemma Terms of Use count as free and open-source under the AI Act?",
                 cat, table)
    assert draft.verdict is None and "proportionate safety restrictions" in text(draft)
    # an AI Act question is never answered with the OSI's verdict in its place
    draft = plan("Is Kimi K2's licence free and open-source under the AI Act?", cat, table)
    assert draft.verdict is None and "OSI" not in text(draft)


def test_a_family_name_with_licence_means_its_licences(cat):
    """'Llama's licence' is whichever Llama licence is meant, not the LLaMA 1 research one."""
    assert {e.id for e in cat.link("Llama's licence")} >= {"family:meta-llama-2",
                                                           "family:meta-llama-3"}
    assert [e.id for e in cat.link("the LLaMA 1 licence")] == ["licence:llama-license-2023"]
    assert [e.id for e in cat.link("the Qwen license")] == ["licence:qwen-2024"]


def test_a_claim_stated_then_acted_on_is_a_premise_too(cat, table):
    draft = plan("Mistral Large 2 is Apache 2.0 just like Mistral 7B, so I can sell a product "
                 "built on it, right?", cat, table)
    assert draft.verdict == "no" and text(draft).startswith(
        "Mistral Large 2 is not released under the Apache License 2.0")
    assert "Research License" in text(draft) and "commercial use as not allowed" in text(draft)


def test_two_asks_joined_by_and_are_both_answered(cat, table):
    draft = plan("Under what terms can I use Google's Gemma 3, and are they open source?", cat,
                 table)
    assert "Gemma Terms of Use, which is not an OSI-approved" in text(draft)
    # a second ask that is not a table fact: the whole question goes to the written answer
    assert plan("When did OpenAI release gpt-oss, and when had it last released open weights "
                "before that?", cat, table) is None


def test_a_duty_asked_with_require_is_answered_and_the_use_it_starts_from_is_not(cat, table):
    draft = plan("What statement does the Falcon 2 11B licence require when I talk publicly "
                 "about a model derived from it?", cat, table)
    assert "built using Falcon LLM technology" in text(draft)
    # a use named in an if-clause is not the duty asked about ('does it require a licence?')
    assert plan("If I fine-tune Llama 3.1, does the licence require a fee?", cat, table) is None


def test_a_change_between_two_licences_on_training_other_models_gives_each_side(cat, table):
    draft = plan("How did Alibaba's stance on training other models with Qwen change from the "
                 "Tongyi Qianwen licence to the 2024 Qwen licence?", cat, table)
    said = text(draft)  # the family named in passing is not a third side
    assert said.startswith("Tongyi Qianwen") and "forbids" in said and "Built with Qwen" in said
    draft = plan("What changed between the Llama 2 licence and the Llama 3.1 licence regarding "
                 "using the model to build other models?", cat, table)
    assert "1.b.v forbids" in text(draft) and "begin with “Llama”" in text(draft)


def test_a_comparison_of_one_fact_gives_each_side(cat, table):
    draft = plan("How do the MIT License and Apache 2.0 differ when it comes to patents?", cat,
                 table)
    said = text(draft)
    assert said.startswith("MIT License: ") and "Apache License 2.0: Section 3" in said
    cites = [c for _, cs in draft.sentences for c in cs]
    assert {sid for sid, _ in cites} == {"licence:mit", "licence:apache-2.0"}
    draft = plan("Compare the large-user thresholds in the Llama 3.1 licence and the Qwen "
                 "licence.", cat, table)
    assert "700 million" in text(draft) and "100 million" in text(draft)
    draft = plan("How do the Stability AI Community License and the CreativeML Open RAIL-M "
                 "differ on commercial use?", cat, table)
    assert "1,000,000" in text(draft) and "Attachment A" in text(draft)
    draft = plan("How does OpenMDW-1.0 differ from the BigScience Open RAIL-M in restricting "
                 "how a model can be used?", cat, table)
    said = text(draft)
    assert said.startswith("OpenMDW") and "no acceptable-use policy" in said
    assert "medical advice" in said
    # one ask, then "and how is that different": the ask for each side
    draft = plan("What licence do the Qwen3 models use, and how is that different from "
                 "Qwen2.5-72B?", cat, table)
    assert "Apache License 2.0" in text(draft) and "Qwen License Agreement" in text(draft)
    draft = plan("Is Llama 2 or Gemma open source?", cat, table)
    assert draft.verdict is None and "Llama 2 is released" in text(draft)
    assert "Gemma 4" in text(draft)


@pytest.mark.parametrize("question", [
    "Can I use Llama 3.1 for military purposes?",  # its use policy is not a text we hold
    # a family: one of its licences leaves the use open, so no verdict for all versions
    "Can I use Gemma models for military purposes?",
])
def test_a_use_the_checked_texts_leave_open_gets_no_verdict_and_the_reason(cat, table, question):
    """Not the written answer: no passage says more than the facts' reason, and the model
    had nothing to go on but the licence's other clauses."""
    draft = plan(question, cat, table)  # Gemma 4 (Apache 2.0) restricts nothing: 'depends'
    assert draft is not None and draft.verdict in (None, "depends"), text(draft) if draft \
        else None
    assert re.search(r"(cannot be checked|do not settle).*(Acceptable|Prohibited) Use Policy|"
                     r"(Acceptable|Prohibited) Use Policy.*cannot be checked", text(draft)), \
        text(draft)


@pytest.mark.parametrize("question", [
    "Why does openness matter for auditability?",  # not a fact the tables hold
    # Llama 3.1's threshold is not scoped to commercial use: the clause, not a verdict
    "Does the Llama 3.1 user threshold apply to non-commercial research?",
    # Llama 2 restricts training other models on outputs: not 'nothing restricts them'
    "Does the Llama 2 licence restrict what I can do with the outputs?",
    # Gemma has no naming rule, but its notice duties reach Model Derivatives: no 'no' from
    # a rule about names
    "If I train a model on Gemma outputs, do I have to credit Google?",
    # Gemma's terms reach Model Derivatives, not a whole app by any rule the facts state:
    # the clause, not a yes or no (MPL-2.0's file-level copyleft is answered, see VERDICTS)
    "If I fine-tune a Gemma model and ship it inside my app, does the whole app have to be "
    "under the Gemma Terms of Use?",
    # some vendors tune their API-only models for you: no 'no' from the missing weights
    "Can I fine-tune GPT-4o?",
])
def test_questions_the_tables_do_not_answer_go_to_the_written_answer(cat, table, question):
    assert plan(question, cat, table) is None


def test_a_ban_the_licence_does_make_is_not_called_a_false_premise(cat, table):
    draft = plan("Since Llama 2's licence bans using its outputs to train other models, what "
                 "can I do?", cat, table)
    assert "premise" not in text(draft) and "1.b.v" in text(draft)


def test_what_a_section_says_is_every_fact_from_that_section(cat, table):
    draft = plan("What does section 2 of the Llama 2 licence say?", cat, table)
    said = text(draft)
    assert said.startswith("What Faultline's facts record from section 2 of the Llama 2")
    assert "700 million" in said and "request a licence" in said
    assert plan("What does section 99 of the Llama 2 licence say?", cat, table) is None


def test_every_licence_has_every_fact_and_each_quote_is_in_its_text(table):
    """The structured facts were checked against the licence texts: each quote is verbatim."""
    squash = lambda s: re.sub(r"\s+", " ", s).strip().casefold()  # noqa: E731
    data = licence_data_dir()
    keys = [e.key for e in read_licence_list(CORPUS)]
    assert sorted(table) == sorted(keys)
    problems = []
    for key in keys:
        body = squash((data / f"{key}.LICENSE").read_text().split("---", 2)[2])
        assert list(table[key]) == FACT_KEYS, key
        for name, fact in table[key].items():
            if fact.value in ("silent", "unknown"):
                if fact.quote:
                    problems.append(f"{key}.{name}: a {fact.value} fact has a quote")
            elif not fact.quote or squash(fact.quote) not in body:
                problems.append(f"{key}.{name}: quote not in the licence text")
    assert problems == []


@pytest.fixture(scope="module")
def fact_answerer(full):
    """An answerer over the whole corpus, its embedder warm (as `faultline serve` warms it at
    start-up), so the timings below measure answering, not loading torch."""
    from app.answer import Answerer

    full.search("warm up")
    return Answerer(full.settings, retriever=full)


def test_fact_answers_cite_the_clause_without_a_model_call(fact_answerer):
    answer = fact_answerer.ask("Can I use Llama 3.1 in a product with 900 million users?")
    assert answer.backend == "facts" and fact_answerer._backend is None  # no model loaded
    assert answer.text.startswith("Not without a separate licence")
    clause = [p for p in answer.cited if p.source_id == "licence:llama-3.1-license-2024"]
    assert clause and clause[0].section.startswith("Section 2"), answer.cited
    assert "700 million" in clause[0].text
    assert answer.timings.total_ms < 1000


def test_a_developers_stated_reasons_come_from_the_page_that_gives_them(fact_answerer):
    answer = fact_answerer.ask("Why did Meta release Llama's weights?")
    assert answer.backend == "facts" and not answer.abstained
    assert {p.source_id for p in answer.cited} == {"why-developers-release-open-weights"}
    assert "ecosystem" in answer.text and "business model" in answer.text
    listed = fact_answerer.ask("Why do companies release open-weight models?")
    assert listed.backend == "facts" and listed.text.count("\n- ") == 4  # five items
    assert fact_answerer._backend is None


def test_a_licence_price_no_source_states_is_declined(fact_answerer):
    answer = fact_answerer.ask("How much does a commercial licence for Mistral Large 2 cost?")
    assert answer.abstained and "costs" in answer.reason
    fee = fact_answerer.ask("How much does it cost to use Llama 3.1 commercially?")
    assert not fee.abstained and "royalty-free" in fee.text and fee.verdict is None


def test_a_use_clause_below_the_top_passages_is_quoted(fact_answerer):
    """BLOOM's licence bars fully automated decisions that harm someone's legal rights; that
    chunk ranked below the top five for a loans question."""
    answer = fact_answerer.ask("Can a company use BLOOM to make decisions about loans?")
    assert answer.abstained and answer.verdict is None and "automated decision" in answer.text
    assert {p.source_id for p in answer.cited} == {"licence:bigscience-rail-1.0"}


def test_off_topic_is_declined_without_a_model_call(fact_answerer):
    answer = fact_answerer.ask("Who won the 2022 FIFA World Cup?")
    assert answer.abstained and "outside" in answer.reason
    assert fact_answerer._backend is None


@pytest.mark.parametrize("question,reason", [
    ("When is Meta going to release Llama 5?", "the future"),
    ("What licence does Apple use for its DCLM-7B model?", "no entry for DCLM-7B"),
    ("How much did Google spend to train Gemini 1.0 Ultra?", "no money figure"),
    # a figure asked beside a fact the table holds: declined, not answered with the fact
    ("What was xAI's valuation when it released the Grok-2 weights?", "no money figure"),
    ("How many times has Olmo 3 been downloaded from Hugging Face?", "no download figure"),
])
def test_near_topic_questions_without_an_answer_are_declined(fact_answerer, question, reason):
    answer = fact_answerer.ask(question)
    assert answer.abstained and reason in answer.reason, answer.text
    assert fact_answerer._backend is None


def test_a_figure_a_passage_states_is_quoted_without_a_model_call(fact_answerer):
    answer = fact_answerer.ask("What did the official DeepSeek-V3 training run cost in dollars?")
    assert not answer.abstained and "$5.576M" in answer.text, answer.text
    assert [p.source_id for p in answer.cited] == ["deepseek"]
    assert fact_answerer._backend is None


def test_two_models_compared_on_figures_get_the_sentence_that_states_both(fact_answerer):
    answer = fact_answerer.ask("How do Llama 4 Scout and Llama 4 Maverick differ in size and "
                               "context length?")
    assert not answer.abstained and fact_answerer._backend is None
    for figure in ("109B total", "10M-token", "400B total", "1M-token"):
        assert figure in answer.text, answer.text
    assert [p.source_id for p in answer.cited] == ["meta-llama-4"]


def test_a_comparison_a_paragraph_states_is_quoted_from_its_contrast_sentence(fact_answerer):
    answer = fact_answerer.ask("Is the AI Act's open-source test different from the OSI's "
                               "definition?")
    assert answer.backend == "facts" and fact_answerer._backend is None
    assert answer.text.startswith("In our reading, the Act's test differs from the OSI's")
    assert "data information" in answer.text and "monetisation" in answer.text
    assert [p.source_id for p in answer.cited] == ["eu-ai-act-open-source"]


def test_a_licence_change_across_releases_is_answered_as_asked_in_the_follow_up(fact_answerer):
    from app.answer import Turn, with_subject

    history = [Turn(role="user", content="What licence do Gemma 1, 2 and 3 use?"),
               Turn(role="assistant", content="The Gemma Terms of Use [1].")]
    asked = with_subject("Did that change with the newest generation?", history,
                         fact_answerer.settings.corpus_dir)
    answer = fact_answerer.ask(asked)
    assert answer.text.startswith("Yes.") and "Gemma 4" in answer.text, answer.text
    assert "model:gemma-4" in {p.source_id for p in answer.cited}


def test_a_question_over_the_table_lists_every_row_that_meets_it(cat, table):
    draft = plan("Which models are fully open, with training data and code published?", cat,
                 table)
    said = text(draft)
    assert "Pythia" in said and "OLMo 2" in said and "Llama" not in said, said
    assert draft.sentences[0][1], "the rows are cited"
    said = text(plan("Which OpenAI models have downloadable weights?", cat, table))
    assert "gpt-oss-120b" in said and "GPT-4o" not in said, said


def test_an_example_asked_for_by_licence_or_licence_family_lists_the_rows(cat, table):
    # licences from corpus/models.yaml rows, families from corpus/licences.yaml
    said = text(plan("Give me an example of an open-weight model released under Apache 2.0.",
                     cat, table))
    assert "under the Apache License 2.0: Mistral 7B" in said, said
    said = text(plan("Name a model released under the MIT licence.", cat, table))
    assert "DeepSeek-R1" in said and "Phi-4" in said and "naming" not in said, said
    draft = plan("Which models were released under an Open RAIL-M style licence?", cat, table)
    said = text(draft)
    assert "RAIL-family" in said and "BLOOM 176B" in said and "StarCoder2" in said, said
    assert "Stable Diffusion v1" in said and "Llama" not in said, said
    assert "StarCoderBase, and StarCoder2" in said, "a name holding 'and' keeps its own 'and'"
    assert len(draft.sentences[0][1]) == 5


def test_a_model_asked_for_by_a_condition_and_developers_with_both_kinds(cat, table):
    said = text(plan("Can you name a model that I can only use through an API, with no "
                     "downloadable weights?", cat, table))
    assert "available only through an API: GPT-3, GPT-4," in said and "gpt-oss" not in said, said
    draft = plan("Are there companies that release both closed models and open-weight models?",
                 cat, table)
    assert draft.verdict == "yes" and "- OpenAI: GPT-3 and GPT-4" in text(draft)
    assert "gpt-oss-120b" in text(draft) and "Gemma" in text(draft)
    assert all(cites for t, cites in draft.sentences if t.startswith("- "))


def test_what_a_developer_published_comes_from_the_components(cat, table):
    said = text(plan("Besides the weights, what else did Pythia put out?", cat, table))
    assert "published openly" in said and "intermediate checkpoints" in said, said
    said = text(plan("What does GPT-4 publish?", cat, table))
    assert "not published: base weights" in said and "service terms" in said, said


def test_two_table_facts_in_one_question_are_both_answered(cat, table):
    # models.yaml: gpt-oss publishes weights, neither training data nor training code
    draft = plan("Has OpenAI released the training data and training code behind gpt-oss?",
                 cat, table)
    assert draft.verdict == "no" and text(draft).startswith("No.")
    assert "training data is not published" in text(draft), text(draft)
    # OLMo: Apache 2.0, and the artefacts that come with it
    draft = plan("What licence is Ai2's OLMo released under, and what comes with it besides "
                 "weights?", cat, table)
    assert "Apache License 2.0" in text(draft) and "training data" in text(draft)


def test_two_facts_that_disagree_lead_with_partly(cat, table):
    # Llama 3.1: weights downloadable (gated), training data not published
    draft = plan("Are Llama 3.1's weights and training data published?", cat, table)
    assert draft is None or draft.verdict in ("partly", None), text(draft)


def test_what_a_licence_requires_lists_its_conditions_and_what_it_lacks(cat, table):
    # MIT: the notice condition only (read in the permission notice); no copyleft
    draft = plan("What conditions does the MIT License put on me if I use MIT code in a "
                 "closed-source product?", cat, table)
    assert draft.fact == "requirements" and "copyright notice" in text(draft)
    assert "no share-alike" in text(draft) and "source code" not in text(draft)
    # Apache 2.0 section 4: a copy of the licence, changed files marked, NOTICE kept
    assert "mark changed files" in text(plan("What does the Apache 2.0 licence require?", cat,
                                             table))
    # Gemma's rows are under two licences: no single list of conditions
    assert plan("What do I have to do to redistribute a fine-tuned Gemma model?", cat,
                table) is None or plan("What do I have to do to redistribute a fine-tuned "
                                       "Gemma model?", cat, table).fact != "requirements"


def test_a_name_rule_asked_as_what_goes_in_the_model_name(cat, table):
    # Llama 3.1 section 1.b.i: a distributed model built with it must have a name beginning
    # with "Llama"; the quoted word "Llama" does not bring Llama 4's licence in
    draft = plan('Does the Llama 3.1 licence require me to put "Llama" in the name of my '
                 'model?', cat, table)
    assert draft.verdict == "yes" and "beginning with “Llama”" in text(draft), text(draft)
    assert all("llama-4" not in c for _, cites in draft.sentences for c, _ in cites)


def test_one_name_for_several_licences_answers_for_each(cat, table):
    # "OpenRAIL-M" is BigScience's, BigCode's and CreativeML's: each one's use restrictions
    draft = plan("What does the OpenRAIL-M licence restrict?", cat, table)
    said = text(draft)
    assert "That name covers 3 licences" in said and said.count("- The ") == 3, said
    assert "BigCode" in said and "CreativeML" in said and "medical" in said
    # the two Gemma Terms of Use versions say the same: one item naming both
    draft = plan("What uses are prohibited under the Gemma terms?", cat, table)
    assert "they say the same" in text(draft) and text(draft).count("- The ") == 1


def test_why_a_model_is_not_open_source_gives_each_reason(cat, table):
    draft = plan("Why isn't Llama 3.1 open source?", cat, table)
    said = text(draft)
    assert "not an OSI-approved open source licence" in said, said
    assert "forbid listed uses" in said and "training data of Llama 3.1 is not published" in said
    # Gemma 4 is under Apache 2.0: said, not folded into 'not open source' licences
    assert "Gemma 4's weights are under the Apache License 2.0" in text(
        plan("Why is Gemma not considered open source?", cat, table))
    # OLMo meets the definition: the premise is corrected
    draft = plan("Why isn't OLMo open source?", cat, table)
    assert draft.verdict == "no" and text(draft).startswith("The premise is not right")


def test_a_release_of_weights_that_never_happened_is_corrected(cat, table):
    draft = plan("Why did Google release Gemini's weights under Apache 2.0?", cat, table)
    assert text(draft).startswith("Gemini's weights are not published"), text(draft)


def test_a_line_of_a_family_means_its_models(cat, table):
    # 'Mistral Large' is Mistral Large 2 (MRL) and Mistral Large 3 (Apache 2.0), not all of
    # Mistral AI's releases
    draft = plan("Mistral Large is MIT licensed, right?", cat, table)
    said = text(draft)
    assert draft.verdict == "no" and "Mistral Large 2" in said and "Codestral" not in said


def test_two_whole_licences_compared_clause_by_clause(cat, table):
    # GPL-3.0 and Apache 2.0 are both OSI-approved and both allow commercial use; copyleft
    # is where they differ (GPL section 5(c), Apache section 4)
    draft = plan("What is the difference between GPL and Apache 2.0?", cat, table)
    said = text(draft)
    assert said.startswith("Both the GNU General Public License 3.0 and the Apache License "
                           "2.0 are OSI-approved"), said
    assert "- Copyleft" in said and "commercial use allowed (yes)" in said
    # models named with 'licences': each model's licence (Llama 2 forbids improving other
    # LLMs with outputs, section 1.b.v; Llama 3.1 does not)
    said = text(plan("What's the difference between the Llama 2 and Llama 3.1 licences?", cat,
                     table))
    assert "Neither the Llama 2" in said and "- Training other models on outputs" in said


def test_a_profile_from_the_table_for_a_name_alone(cat, table):
    said = text(plan("Tell me about BLOOM.", cat, table))
    assert "by BigScience" in said and "not an OSI-approved licence" in said, said
    said = text(plan("What is the difference between Llama 2 and Mistral 7B?", cat, table))
    assert "Llama 2, by Meta" in said and "Mistral 7B, by Mistral AI" in said
    assert plan("What is the licence of BLOOM?", cat, table).fact != "profile"


def test_whether_a_developer_has_open_models(cat, table):
    draft = plan("Are there open-weight models from OpenAI?", cat, table)
    assert draft.verdict == "yes" and "gpt-oss-120b" in text(draft)
    assert plan("Has Anthropic released any open-weight models?", cat, table).verdict == "no"


def test_a_commercial_use_question_across_licences_answers_for_each(cat, table):
    # DeepSeek-V3 (DeepSeek License Agreement) and DeepSeek-V3-0324 (MIT) both allow it
    draft = plan("Can I use DeepSeek-V3 commercially?", cat, table)
    assert draft.verdict == "yes" and "MIT License" in text(draft), text(draft)


def test_what_i_cannot_do_lists_the_conditions(cat, table):
    draft = plan("What can't I do with Llama 2?", cat, table)
    assert draft.fact == "requirements" and "700 million" in text(draft)
    assert all(t.startswith("- ") for t, _ in draft.sentences[1:-1])


def test_a_licence_asked_about_whole_gets_its_main_terms(cat, table):
    # OpenMDW 1.0: no copyleft, commercial use allowed, no use restrictions (its grant)
    draft = plan("What does OpenMDW cover?", cat, table)
    said = text(draft)
    assert draft.fact == "licence_profile" and "- Commercial use allowed: " in said, said
    assert "- Use restrictions: There is no acceptable-use policy" in said
    # 'What is the MIT License?' is about the licence; 'Llama 4's licence' asks whose it is
    assert plan("What is the MIT License?", cat, table).fact == "licence_profile"
    assert "Llama 4 Scout" in text(plan("What is Llama 4's licence?", cat, table))


def test_a_model_asked_as_one_licence_or_another_gets_the_one_it_is_under(cat, table):
    said = text(plan("Is Phi-4 MIT or Apache?", cat, table))
    assert "released under the MIT License" in said and "Apache" not in said, said


def test_commercial_use_the_table_records_as_restricted_gets_its_restrictions(cat, table):
    # Falcon 180B: no checked clauses; the row records hosted use may need a licence
    draft = plan("Can I charge customers for an app built on Falcon 180B?", cat, table)
    assert draft.verdict is None and "hosted-service use" in text(draft), text(draft)


def test_the_osis_validation_as_a_table_condition(cat, table):
    said = text(plan("Which models did the OSI say are open source AI?", cat, table))
    assert "OLMo" in said and "Pythia" in said and "Llama" not in said, said


def test_who_made_a_model_and_its_licence_restrictions_come_from_the_tables(cat, table):
    # the model had written "Who developed Pythia?" without naming EleutherAI
    assert "by EleutherAI" in text(plan("Who developed Pythia?", cat, table))
    # BLOOM's licence (BigScience RAIL 1.0): its conditions, each with its paragraph
    draft = plan("What restrictions come with BLOOM's licence?", cat, table)
    assert draft.fact == "requirements" and "paragraph 5" in text(draft)


def test_which_licence_and_what_is_special_gets_the_licence_then_its_terms(cat, table):
    # the model had said Kimi K2's display rule binds every derivative: it binds products
    # above 100 million monthly active users or US$20 million monthly revenue
    said = text(plan("Which licence does Kimi K2 use and what is special about it?", cat, table))
    assert "Modified MIT" in said and "100 million monthly active users" in said, said
    assert said.count("not an OSI-approved") == 1, said


def test_the_ai_act_asked_about_open_source_in_general_gets_both_provisions(cat, table):
    # eu-ai-act-open-source: Article 2(12) and its three exceptions, Articles 53(2) and
    # 54(6), what still applies; the model had said open-source models carry no obligations
    draft = plan("Are open-source models exempt from the EU AI Act?", cat, table)
    said = text(draft)
    assert draft.verdict == "partly" and "high-risk" in said and "systemic risk" in said, said
    draft = plan("How does the EU AI Act treat open-source models?", cat, table)
    assert draft.verdict is None and "Article 2(12)" in text(draft)


def test_a_premise_of_a_non_commercial_licence_is_corrected(cat, table):
    draft = plan("Since Mistral 7B is under a non-commercial licence, what can I use instead?",
                 cat, table)
    assert draft.verdict == "no" and text(draft).startswith("The premise is not right"), text(draft)


def test_table_questions_with_a_negation_a_threshold_or_no_hits(cat, table):
    said = text(plan("Which Mistral models can't be used commercially?", cat, table))
    assert "do not allow commercial use: Codestral 22B" in said and "Mistral 7B" not in said
    said = text(plan("Which models have a 700 million user threshold?", cat, table))
    assert "Llama 3.3" in said and "Llama 4 Scout" in said and "Qwen" not in said, said
    # a narrowed question with no hits is still an answer, cited to the rows it looked at
    draft = plan("Which Anthropic models publish their training data?", cat, table)
    assert text(draft).startswith("No models from Anthropic") and draft.sentences[0][1]
    assert "1 model from Alibaba Qwen does not allow" in text(plan(
        "Which Qwen models are non-commercial?", cat, table))


def test_two_licences_with_no_term_that_differs_say_they_agree(cat, table):
    said = text(plan("Is Llama 3.3 better licensed than Llama 3.1?", cat, table))
    assert "their texts agree" in said and "Where their texts differ" not in said, said


def test_a_name_that_also_means_an_api_only_model_answers_for_the_others(cat, table):
    """'Qwen3' also names Qwen3-Max, which has no weights to license."""
    said = text(plan("Can I train another model on Qwen3's outputs?", cat, table))
    assert "Apache License 2.0" in said and "Qwen3-Max is available only through an API" in said


def test_the_second_ask_does_not_repeat_the_licence_the_first_named(cat, table):
    said = text(plan("What licence is Falcon 180B under and can I host it as a service?", cat,
                     table))
    assert said.count("released under") == 1 and "no checked clauses for that licence" in said


def test_a_name_whose_versions_differ_in_licence_is_compared_by_the_one_named(cat, table):
    said = text(facts.plan("Compare Llama 3.1 and Qwen2.5 licences",
                           cat.link("Compare Llama 3.1 and Qwen2.5 licences"), cat, table))
    assert "Where their texts differ" in said and "700 million" in said
    assert "Qwen2.5-72B is under the Qwen License Agreement" in said


def test_safety_gets_the_licence_terms_and_no_verdict(cat, table):
    draft = plan("Are DeepSeek models safe to use in Europe?", cat, table)
    assert draft.verdict is None and text(draft).startswith("Faultline's sources record licence")


def test_how_many_models_is_a_question_over_the_table(cat, table):
    said = text(plan("How many models in the table are API-only?", cat, table))
    count = sum(r.access == "api" for e in cat.entities.values() if e.type == "model"
                for r in e.rows)
    assert f"{count} models are available only through an API" in said


def test_a_licence_the_question_negates_lists_the_other_rows(cat, table):
    said = text(plan("Which Qwen models are not Apache 2.0?", cat, table))
    assert "are not under the Apache License 2.0" in said
    assert "Qwen2.5-72B" in said and "Qwen2.5-Coder" not in said


def test_a_text_silent_on_fees_gives_no_verdict_to_for_free(cat, table):
    draft = plan("Can I use Gemma 3 for free?", cat, table)
    assert draft.verdict is None and "say nothing about fees" in text(draft)


def test_relicensing_is_answered_from_the_copyleft_clause_without_a_verdict(cat, table):
    draft = plan("Can I relicense an Apache 2.0 model under MIT?", cat, table)
    assert draft.verdict is None and "different terms" in text(draft)


def test_a_requirement_named_by_its_wording_lists_the_licences_that_set_it(cat, table):
    said = text(plan("What is the Built with Llama requirement?", cat, table))
    assert said.startswith("These licences require “Built with Llama”") and "1.b.i" in said


def test_two_families_are_compared_each_in_one_line(cat, table):
    said = text(plan("What's the difference between Claude and Llama?", cat, table))
    assert "- Claude (Anthropic):" in said and "only through an API" in said
    assert "- Llama (Meta):" in said and "downloadable weights" in said


def test_the_first_open_weight_release_is_the_earliest_row_said_as_such(cat, table):
    said = text(plan("What was the first open-weight model from Google?", cat, table))
    assert "is Gemma, released 21 February 2024" in said and "notable releases only" in said


def test_who_makes_a_family_is_its_developer(cat, table):
    assert text(plan("Who makes Gemma?", cat, table)).endswith("are made by Google DeepMind.")


def test_licences_that_differ_only_on_network_use_say_so(cat, table):
    said = text(plan("What is the difference between GPL and AGPL?", cat, table))
    assert "Source for users over a network" in said and "their texts agree" not in said
    assert "network" not in text(plan("What is the difference between Apache 2.0 and MIT?",
                                      cat, table))
