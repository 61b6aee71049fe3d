"""Fact answers, planned: which kind of answer the tables give a question (a premise to
correct, a question over the table, two things compared, one fact about named entities) and
the draft it gets, its verdict and facts from corpus/models.yaml and corpus/licence-facts.yaml
and its citations to the clause and the row. No model call: exact, and in milliseconds.

The parts: intent (what is asked), premises, ai_act, licence_answers, table_answers, and
draft (the answer being built)."""

from __future__ import annotations

import re

from app.ai_act import AI_ACT, AI_ACT_OVERVIEW, AI_ACT_TEST, ai_act_draft
from app.draft import VERDICT_WORD, Draft, join, with_section
from app.entities import Catalogue, Entity, norm, strip_parens
from app.intent import (
    COMPARE_WORDS,
    INTENTS,
    LICENCE_INTENTS,
    NEGATIVE,
    PUBLISHED,
    SAFETY,
    YES_NO,
    Intent,
    detect,
)
from app.licence_answers import (
    deciding_draft,
    each_licence_draft,
    licence_profile_draft,
    licences_draft,
    requirements_draft,
    section_draft,
    wording_draft,
)
from app.load import LicenceFact
from app.premises import closed_weights_asked, gate_draft, premise_draft, why_not_open_draft
from app.table_answers import (
    COMPONENT_INTENTS,
    allowed_by_release,
    by_licence_draft,
    change_draft,
    described_draft,
    developer_open_draft,
    developers_draft,
    first_release_draft,
    grouped,
    licence_and_terms_draft,
    model_draft,
    openness_draft,
    profiles_draft,
    recorded,
    released_draft,
    released_under,
    rows_of,
    same_terms_draft,
    service_terms_draft,
    table_draft,
    table_rule_draft,
    table_use_draft,
)


def comparison_draft(question: str, groups: list[list[Entity]], catalogue: Catalogue,
                     facts: dict[str, dict[str, LicenceFact]], intent: Intent | None = None
                     ) -> Draft | None:
    """Two entities and one fact: the fact for each side, each cited ('MIT and Apache 2.0 on
    patents', 'the licences of DeepSeek-V3 and DeepSeek-R1')."""
    intent = intent or detect(question, comparing=True)
    if intent is None:
        return None
    draft = Draft(fact=f"compare:{intent.kind}")
    kinds = {"patent": ["patent_grant"]}.get(intent.kind, [intent.kind])
    for group in groups:
        entity = group[0]
        if intent.kind in LICENCE_INTENTS:
            lic = entity if entity.type == "licence" else (
                catalogue.licence_of(entity.rows[0]) if len(entity.rows) == 1 else None)
            if lic is None or lic.key not in facts:
                return None
            for kind in kinds:
                fact = facts[lic.key][kind]
                if fact.value == "unknown":
                    return None
                draft.say(f"{lic.name}: {with_section(fact)}", (lic.id, fact.quote))
        elif entity.type in ("model", "family") and intent.kind in (
                "which_licence", "weights", "training_data", "open_source", "osi_licence",
                "released", "published", "mof_class", *COMPONENT_INTENTS):
            for _, sentence, members in grouped(intent.kind, entity.rows):
                draft.say(sentence, *[(f"model:{r.id}", "") for r in members])
        else:
            return None
    return draft


def with_purpose(question: str, first: list[Entity], compared: Draft | None,
                 catalogue: Catalogue, facts: dict[str, dict[str, LicenceFact]]
                 ) -> Draft | None:
    """'Is Codestral under the same terms as Mistral 7B, so I can ship it in production?': the
    yes or no to the use asked about the first model, then the other side of the comparison."""
    text = norm(question)
    if not (YES_NO.search(question) and re.search(dict(INTENTS)["commercial_use"], text)):
        return compared
    groups = [first, *[g for g in catalogue.mentions(question) if g != first][:1]]
    compared = comparison_draft(question, groups, catalogue, facts, Intent(
        "which_licence", False, False, words=text)) or compared
    if compared is None:
        return None
    use = Intent("commercial_use", True, bool(NEGATIVE.search(question)), words=text)
    draft = answer_intent(use, first, [first], catalogue, facts)
    if draft is None or draft.verdict is None:
        return compared
    own = {sid for _, cites in draft.sentences for sid, _ in cites}
    draft.sentences += [(t, cites) for t, cites in compared.sentences
                        if not {sid for sid, _ in cites} & own]
    draft.fact = f"{draft.fact}+{compared.fact}"
    return draft


# "How does Meta's version of that rule compare?" (the rule of the licence asked about before)
VERSION_OF = re.compile(r"\b[\w.-]+'s (own )?(version|equivalent|counterpart)\b", re.I)


def version_draft(question: str, linked: list[Entity], catalogue: Catalogue,
                  facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """A developer's version of a licence term ('Meta's version of the Qwen licence's user
    cap'): the term in the licence named, then in that developer's newest licence that
    records it, each cited."""
    devs = [e for e in linked if e.type == "developer"]
    lics = [e for e in linked if e.type == "licence"]
    intent = detect(question, comparing=True)
    if not (VERSION_OF.search(question) and len(devs) == 1 and len(lics) == 1 and intent
            and intent.kind in LICENCE_INTENTS):
        return None
    newest = sorted(devs[0].rows, key=lambda r: r.released, reverse=True)
    own = [lic for lic in map(catalogue.licence_of, newest) if lic is not None and
           lic.key in facts and facts[lic.key].get(intent.kind) is not None and
           facts[lic.key][intent.kind].value != "unknown"]
    if not own or own[0].key == lics[0].key:
        return None
    return comparison_draft(question, [lics, own[:1]], catalogue, facts, intent)


# "When did Claude 3 come out, and in which tiers?": the versions a row's name lists
TIERS = re.compile(r",?\s*and (in )?(what|which) (were |are |did )?(its |their |the )?(tiers?|"
                   r"tiered versions?|variants?|sizes?)\b[^.?]*\??\s*(?P<named>\([^)]*\))?\s*$",
                   re.I)  # '(Claude)': the name a follow-up carries


def plan(question: str, linked: list[Entity], catalogue: Catalogue,
         facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """A fact answer for the question, or None when the tables do not hold what it asks."""
    tiers = TIERS.search(question)
    rows = [e.rows[0] for e in linked if e.type == "model" and re.search(r"\(.*,.*\)",
                                                                          e.rows[0].name)]
    if tiers and rows:  # the first ask from the tables, then the versions the row names
        draft = plan(question[:tiers.start()] + "? " + (tiers.group("named") or ""), linked,
                     catalogue, facts)
        if draft is None:
            return None
        for row in rows:
            listed = row.name[row.name.index("(") + 1:].rstrip(")")
            draft.say(f"{strip_parens(row.name)} came in these versions: {listed}.",
                      (f"model:{row.id}", ""))
        return draft
    if catalogue.unknown_version(question):
        return None  # "Phi-2": the family is known, that release has no row
    if AI_ACT.search(question) and (AI_ACT_TEST.search(question)
                                    or AI_ACT_OVERVIEW.search(question)):
        return ai_act_draft(question, linked, catalogue)  # never an OSI answer in its place
    premise = (premise_draft(question, linked, catalogue)
               or change_draft(question, linked, catalogue)
               or version_draft(question, linked, catalogue, facts)
               or why_not_open_draft(question, linked, catalogue))
    if premise is not None:
        return premise
    listed = (wording_draft(question, catalogue) or released_draft(question, linked)
              or licence_and_terms_draft(question, linked, catalogue, facts)
              or developer_open_draft(question, linked)
              or developers_draft(question, linked, catalogue)
              or table_draft(question, linked, catalogue))
    if listed is not None:
        return listed
    mentions = catalogue.mentions(question)
    groups = [g for g in mentions
              if any(e.type in ("model", "family", "licence") for e in g)]
    licences = [g for g in groups if all(e.type == "licence" for e in g)]
    if len({frozenset(e.id for e in g) for g in licences}) == 2 and COMPARE_WORDS.search(
            question):  # 'training other models with Qwen' from one licence to the other
        groups = licences
    subjects = [g for g in groups if any(e.type in ("model", "family") for e in g)]
    if len(licences) == 2 and len(subjects) == 1 and re.search(r"\bor\b", question, re.I):
        # 'Is Phi-4 MIT or Apache?': which licence it is under, neither of the two assumed
        rows = rows_of(subjects[0])
        return model_draft(Intent("which_licence", False, False), rows, None, "")
    compared = (same_terms_draft(question, subjects)
                or openness_draft(question, subjects))
    if compared is not None:
        return compared
    kinds = {"licence" if all(e.type == "licence" for e in g) else "subject" for g in groups}
    if len({frozenset(e.id for e in g) for g in groups}) == 2 and len(kinds) == 1:
        compared = comparison_draft(question, groups, catalogue, facts)
        purposed = with_purpose(question, groups[0], compared, catalogue, facts)
        if purposed is not None:
            return purposed  # else a yes/no about the one named first ('like Falcon-40B was')
    if len({frozenset(e.id for e in g) for g in groups}) == 2 and detect(
            question, comparing=True) is None:
        whole = licences_draft(question, groups, catalogue, facts)
        if whole is not None:
            return whole
    duties = (requirements_draft(question, linked, catalogue, facts)
              or section_draft(question, linked, catalogue, facts))
    if duties is not None:
        return duties
    gated = gate_draft(question, linked)  # 'Is Llama 3.1 gated?'
    if gated is not None:
        return gated
    intent = detect(question)
    first = first_release_draft(question, linked)
    if first is not None:  # 'the first open-weight model from Google'
        return first
    if intent is not None and intent.kind != "weights" and closed_weights_asked(question, linked):
        # 'Can I fine-tune Claude and release the weights?': there are none to fine-tune
        intent = Intent("weights", intent.yes_no, False)
    if intent is not None and intent.kind == "which_licence" and linked and all(
            e.type == "licence" for e in linked) and not LICENCE_OF.search(question):
        intent = None  # 'What is the MIT License?' asks about the licence, not whose it is
    if intent is not None and intent.kind == "which_licence" and not any(
            e.type == "licence" for e in linked) and NAMED_TERMS.search(question):
        intent = None  # 'What is the Mistral Research License?': a licence by its name
    if intent is None:
        return (two_asks(question, linked, mentions, catalogue, facts)
                or profiles_draft(question, groups)
                or licence_profile_draft(question, linked, facts)
                or described_draft(question, linked, catalogue))
    draft = answer_intent(intent, linked, mentions, catalogue, facts)
    for extra in also_asked(question, intent):  # "the training data and the training code"
        more = answer_intent(extra, linked, mentions, catalogue, facts)
        if draft is None or more is None:
            break
        draft = joined(draft, more)
    if draft is not None and SAFETY.search(question):  # 'is it safe to use in Europe?'
        draft.sentences.insert(0, ("Faultline's sources record licence terms, not whether a "
                                   "model is safe or secure to use. On the licence:", []))
    return draft


# "Under what terms can I use Gemma 3, and are they open source?": two asks, one after ", and"
SECOND_ASK = re.compile(r",?\s+and (?=(is|are|am|does|do|can|could|may|has|have)\b)", re.I)


# "the Mistral Research License", "a Community License": a licence called by its own name
NAMED_TERMS = re.compile(r"\b(research|community|non[- ]?production|open model|responsible ai)"
                         r" licen[cs]e\b", re.I)
# "What is Llama 4's licence?", "the licence of Qwen2.5": which licence a model is under
LICENCE_OF = re.compile(r"['’]s (own )?licen[cs]e\b|\blicen[cs]e (of|for)\b", re.I)


def two_asks(question: str, linked: list[Entity], mentions: list[list[Entity]],
             catalogue: Catalogue, facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """Two table facts asked in one question, each part answered from the tables and the two
    joined; the licence and whether it is open source are one answer (the OSI verdict names
    the licence)."""
    parts = SECOND_ASK.split(question, maxsplit=1)
    if len(parts) != 3:
        return None
    first, second = detect(parts[0]), detect(parts[2])  # parts[1]: the lookahead's word
    if first is None or second is None or first.kind == second.kind:
        return None
    if {first.kind, second.kind} == {"which_licence", "open_source"}:
        return answer_intent(first if first.kind == "open_source" else second, linked,
                             mentions, catalogue, facts)
    one = answer_intent(first, linked, mentions, catalogue, facts)
    other = answer_intent(second, linked, mentions, catalogue, facts)
    return joined(one, other) if one is not None and other is not None else None


# facts of the table that one question may ask two of ("licence, and what else comes with it")
TABLE_KINDS = {"which_licence", "weights", "training_data", "published", *(
    "checkpoints", "training_code", "inference_code", "data_documentation")}


# 'Can I modify it and sell it?': a use asked with selling, whose answer needs both
WITH_SELLING = {"modification", "redistribution"}
SELLING = re.compile(r"\b(sell|sold|selling|commerciali[sz]\w*|commercially|monetis\w*|"
                     r"monetiz\w*)\b")


def also_asked(question: str, first: Intent) -> list[Intent]:
    """Other facts the question asks besides the first one detected (at most two): table
    facts, or commercial use beside a modification or redistribution."""
    text, found = norm(question), []
    if first.kind in WITH_SELLING and SELLING.search(text) and first.yes_no:
        return [Intent("commercial_use", True, False, words=text)]
    if first.kind not in TABLE_KINDS:
        return []
    if first.kind != "published" and PUBLISHED.search(question):
        found.append(Intent("published", False, False, words=text))
    for kind, pattern in INTENTS:
        if kind in TABLE_KINDS and kind != first.kind and re.search(pattern, text) and not (
                kind == "weights" and re.search(r"\b(besides|apart from|beyond) (the )?"
                                                r"weights\b", text)):
            found.append(Intent(kind, first.yes_no, first.negative, words=text))
    return [i for i in found if i.kind != first.kind][:2]


RELEASED = re.compile(r"^(.+? (?:is|are) released under the .+?)(?: \(|,|\.$)")


def unrepeated(text: str, said: set[str]) -> str:
    """A sentence that begins by saying again which licence the first answer named ('X is
    released under the L, which Faultline holds no checked clauses for; ...'), without it."""
    for before in said:
        lead = RELEASED.match(before)
        if lead and text.startswith(lead.group(1) + ", which Faultline holds no checked "
                                                    "clauses for"):
            return "Faultline holds no checked clauses for that licence" + text[len(
                lead.group(1) + ", which Faultline holds no checked clauses for"):]
    return text


def joined(draft: Draft, more: Draft) -> Draft:
    """Two fact answers as one: one verdict first ('Partly.' when they differ), then both."""
    body = more.sentences[1:] if more.verdict and draft.verdict and more.sentences else \
        more.sentences  # the second ask's own verdict stays when the first had none
    said = {text for text, _ in draft.sentences}
    body = [(unrepeated(text, said), cites) for text, cites in body if text not in said and not (
        "released under" in text and any(t.startswith(text[:-1]) for t in said))]
    if {draft.verdict, more.verdict} == {"yes", "conditional"}:  # both allowed, one on terms
        draft.verdict = "conditional"
        draft.sentences[0] = ("Yes, but only under a condition.", [])
    elif draft.verdict and more.verdict and draft.verdict != more.verdict:
        draft.verdict = "partly"
        draft.sentences[0] = (VERDICT_WORD["partly"], [])
    draft.sentences += body
    draft.fact = f"{draft.fact}+{more.fact}"
    return draft


def answer_intent(intent: Intent, linked: list[Entity], mentions: list[list[Entity]],
                  catalogue: Catalogue, facts: dict[str, dict[str, LicenceFact]]
                  ) -> Draft | None:
    """The fact answer to one detected intent about the entities the question names."""
    models = [e for e in linked if e.type == "model"]
    families = [e for e in linked if e.type == "family"]
    licences = [e for e in linked if e.type == "licence"]
    in_models = {r.id for m in models for r in m.rows}
    subjects = models + [f for f in families if not in_models & {r.id for r in f.rows}]
    names = {frozenset(e.id for e in group) for group in mentions
             if any(e in subjects for e in group)}
    licence_names = {frozenset(e.id for e in group) for group in mentions
                     if any(e.type == "licence" for e in group)}
    first = mentions[0] if mentions else []
    if intent.yes_no and len(names) > 1 and len(first) == 1 and first[0].type == "model" and (
            all(first[0].rows[0] in [r for e in group for r in e.rows] or first[0] in group
                for group in mentions if any(e in subjects for e in group))
            or re.search(r"\b(like|unlike|as with)\b", intent.words)):
        subjects, names = [first[0]], {frozenset([first[0].id])}  # 'Qwen2.5-3B, like the
        # other Qwen2.5 models', 'Falcon 180B, like Falcon-40B was': about the one named first
    if intent.kind == "outputs_training" and len(first) == 1 and first[0] in subjects:
        # 'Llama 3.1 outputs to train a Mistral model': Llama 3.1's terms decide
        subjects, names = [first[0]], {frozenset([first[0].id])}
    if len(names) > 1 or len(licence_names) > 1:  # a comparison: the written answer does
        return None  # each side
    rows = [r for e in subjects for r in e.rows]
    if len(licences) == 1 and licences[0].described is not None and not subjects:
        return described_rows_draft(intent, licences[0], catalogue, facts)
    if intent.kind in LICENCE_INTENTS and len(licences) > 1 and not subjects:
        return each_licence_draft(intent, licences, catalogue, facts)  # 'OpenRAIL-M'
    if intent.kind in LICENCE_INTENTS:
        hosted = [r for r in rows if r.access == "api"]
        if hosted and len(hosted) < len(rows) and not licences and intent.kind != "commercial_use":
            # 'Qwen3' also names Qwen3-Max, which has no weights and so no licence to ask:
            # the licence answers for the others, and the answer says so
            rows = [r for r in rows if r.access != "api"]
            draft = answer_intent(intent, [catalogue.get(f"model:{r.id}") for r in rows],
                                  [[catalogue.get(f"model:{r.id}") for r in rows]],
                                  catalogue, facts)
            if draft is not None:
                names = join([strip_parens(r.name) for r in hosted][:4])
                draft.say(f"{names} {'is' if len(hosted) == 1 else 'are'} available only "
                          "through an API, under its provider's terms, not a licence to "
                          "download.", *[(f"model:{r.id}", "") for r in hosted[:2]])
            return draft
        if licences and (not subjects or licences[0].key in {r.licence for r in rows}
                         and not models):  # "the Qwen License ... Qwen outputs": the licence
            return deciding_draft(intent, licences[0], catalogue, facts)
        if licences and licences[0].key in {r.licence for r in rows}:
            rows = [r for r in rows if r.licence == licences[0].key]  # "DeepSeek-V3 under the
            # DeepSeek License Agreement": the rows under the licence it names
        if rows and len({r.licence for r in rows}) == 1:  # one licence answers for all
            lic = catalogue.licence_of(rows[0])
            if lic is not None and lic.key in facts:
                draft = deciding_draft(intent, lic, catalogue, facts)
                if draft is not None:
                    draft.sentences.insert(1 if draft.verdict else 0, (
                        f"{released_under(rows)}.", [(f"model:{r.id}", "") for r in rows[:6]]))
                    if intent.kind == "outputs_training" and facts[lic.key][
                            "outputs_training"].value == "silent":
                        draft = allowed_by_release(intent, rows) or draft
                    elif draft.verdict is None:  # the texts leave it open; the table may
                        draft.sentences += recorded(intent.kind, rows)  # record the rule
                return draft
        served = service_terms_draft(intent, rows, catalogue, facts)
        if served is not None:  # 'GPT-4 outputs': OpenAI's Terms of Use, said as such
            return served
        unheld = rows and len({r.licence for r in rows}) == 1 and (
            catalogue.licence_of(rows[0]) is None or rows[0].licence not in facts)
        ruled = table_rule_draft(intent, rows) if unheld else None
        if ruled is not None:  # 'Llama 3 outputs': its licence has no checked clauses here
            return ruled
        if intent.kind == "commercial_use" and rows:  # the table's own column, or else
            # each licence's answer ('DeepSeek-V3': the DeepSeek licence, then MIT)
            return table_use_draft(intent, rows) or by_licence_draft(intent, rows, catalogue,
                                                                      facts)
        return by_licence_draft(intent, rows, catalogue, facts) if rows else None
    if intent.kind == "which_licence" and licences and not subjects:  # "What is Llama 4's
        # licence?": the models under the licence that name means
        keys = {e.key for e in licences}
        rows = [e.rows[0] for e in catalogue.entities.values()
                if e.type == "model" and e.rows[0].licence in keys]
        return model_draft(intent, rows, None, "") if rows else None
    if intent.kind in ("open_source", "osi_licence") and licences and not subjects:
        lic = licences[0]
        osi = lic.licence.osi_approved
        verdict = ("yes" if osi else "no") if intent.yes_no else None
        draft = Draft(verdict=verdict, fact="open_source")
        if verdict:
            draft.say(VERDICT_WORD[verdict])
        draft.say(f"The {lic.name} is {'an' if osi else 'not an'} OSI-approved open source "
                  "licence.", (lic.key, "open source"))
        return draft
    if not rows:
        return None
    family = families[0].key if families and len(families) == 1 else (
        rows[0].family if len({r.family for r in rows}) == 1 else "")
    asked = licences[0] if licences and intent.kind in ("which_licence", "open_source",
                                                        "osi_licence") else None
    return model_draft(intent, rows, asked, family)


def described_rows_draft(intent: Intent, lic: Entity, catalogue: Catalogue,
                         facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """A fact asked of a licence Faultline holds no text of ('Does the Mistral Research
    License allow commercial use?'): the models table's answer for the models under it."""
    models = [catalogue.get(f"model:{r.id}") for r in catalogue.rows_under(lic)]
    draft = answer_intent(intent, models, [models], catalogue, facts) if models else None
    if draft is not None:
        draft.sentences.insert(1 if draft.verdict else 0, (
            f"Faultline holds no copy of the text of the {lic.name}; this is what the models "
            "table records for the models under it.", []))
    return draft


def quote_in(text: str, quote: str) -> bool:
    squash = lambda s: re.sub(r"\s+", " ", s).strip().casefold()  # noqa: E731
    return bool(quote) and squash(quote) in squash(text)


__all__ = ["Draft", "plan", "quote_in"]
