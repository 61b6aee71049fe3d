"""False premises corrected from the tables before anything else is answered (weights that
were never published, a ban a licence does not make, an OSI approval that never happened, a
gate that does not exist), and why a model is not open source."""

from __future__ import annotations

import re

from app.draft import Draft, join, with_section
from app.entities import Catalogue, Entity, norm, strip_parens
from app.intent import (
    API_ONLY,
    ASSUMES,
    INTENTS,
    NEGATIVE,
    NON_COMMERCIAL,
    YES_NO,
    Intent,
    detect,
)
from app.load import LicenceFact, ModelRow
from app.table_answers import (
    grouped,
    open_source_fact,
    row_fact,
    shared_word,
    table_use_draft,
)

# "since GPT-4o is open source, ...": a claim about a model, not a question whether it is
OPEN_CLAIM = re.compile(r"\b(is|are|was|were|being|now|went|gone|became) (now )?open[- ]?"
                        r"(source[ds]?|weights?)\b", re.I)
WEIGHTS_CLAIM = re.compile(r"\bweights\b.{0,40}\b(public|published|released|open|available|"
                           r"on hugging ?face|leaked|downloadable)|\bdownload\w*\b.{0,30}\bweights|"
                           r"\b(releas|publish|open[- ]?sourc)\w*\b.{0,30}\bweights\b|"
                           r"\bopen[- ]sourced\b|\brun\b.{0,30}\b(locally|offline)\b|"
                           + OPEN_CLAIM.pattern, re.I)

# "a licence gate before downloading": the table's 'gated' access
GATE_CLAIM = re.compile(r"\b(gated?|gating)\b|\baccept\w* (a |the |its |their )?(licen[cs]e|"
                        r"terms)\b.{0,40}\b(before|to) download|\b(request|ask for) (access|"
                        r"approval)\b", re.I)


def ungated(row: ModelRow) -> bool:
    """The table's checked openness notes say the weights download with no gate."""
    cells = (row.openness.base_weights, row.openness.instruct_weights) if row.openness else ()
    return row.access == "download" and any(
        re.search(r"\b(no gate|not gated|ungated)\b", c.note, re.I) for c in cells if c)


# the article that explains what the OSI definition requires (cited for why terms fail it)
OSI_DEFINITION = "osi-open-source-ai-definition"

OSI_CLAIM = re.compile(r"\bOSI\b.{0,30}\b(approv|certif|accept|endors|bless)\w*|"
                       r"\b(approv|certifi|accept|endors)\w* by (the )?(OSI|Open Source "
                       r"Initiative)\b", re.I)


# what in a licence's facts keeps it from granting the freedom to use for any purpose
NOT_ANY_PURPOSE = [("use_policy", {"yes", "conditional"}, "forbid listed uses (an acceptable use "
                    "policy)"),
                   ("user_threshold", {"yes", "conditional"}, "exclude the largest users "
                    "(a user or revenue threshold)"),
                   ("commercial_use", {"no", "conditional"}, "limit commercial use")]


def why_not_open_source(keys: list[str], facts: dict[str, dict[str, LicenceFact]]) -> str:
    """'It is not open source: its terms forbid listed uses ...', from the licence facts;
    empty when the facts show none of the terms that fail the definition."""
    held = [facts.get(k, {}) for k in keys]
    terms = [phrase for kind, values, phrase in NOT_ANY_PURPOSE
             if any(f.get(kind) is not None and f[kind].value in values for f in held)]
    if not terms:
        return ""
    return ("In Faultline's reading of the OSI's definition, which needs the freedom to use a "
            f"system for any purpose, these terms are not open source: they {join(terms)}.")


# "Why do some people say Llama isn't open source?"
WHY_NOT_OPEN = re.compile(r"^(?=.*\bwhy\b)(?=.*(\bnot\b|n't\b|n’t\b|\bno longer\b|\bnever\b))"
                          r"(?=.*\bopen[- ]?source\b)", re.I)


# "What would it need to qualify?" (after "Why isn't Llama 3.1 open source?"): what stands in
# the way, said the other way round
WOULD_QUALIFY = re.compile(r"^(?=.*\b(qualif\w*|open[- ]?source|count as open)\b)(?=.*(\bwhat "
                           r"(would|does|do|will|should) .{0,40}\b(need|take|require|have to "
                           r"(do|change))\b|\bneeds? to (qualify|count|be open)))", re.I)


def common_name(rows: list[ModelRow]) -> str:
    """'the Gemma models' for rows whose names share a word ('Gemma 2', 'CodeGemma'...)."""
    word = shared_word(rows)
    return f"the {word} models" if word else "these models"


def why_not_open_draft(question: str, linked: list[Entity], catalogue: Catalogue
                       ) -> Draft | None:
    """'Why isn't Llama open source?': each reason the tables hold (weights not published,
    terms not OSI-approved and what in them fails the definition, data withheld); 'Why isn't
    OLMo open source?' corrects the premise."""
    subjects, rows = premise_subjects(linked)
    would = WOULD_QUALIFY.search(question)
    if not ((WHY_NOT_OPEN.search(question) or would) and rows):
        return None
    cite = lambda group: [(f"model:{r.id}", "") for r in group[:6]]  # noqa: E731
    names = lambda group: join([strip_parens(r.name) for r in group])  # noqa: E731
    be = lambda group: "is" if len(group) == 1 else "are"  # noqa: E731
    whom = subjects[0].name if len(subjects) == 1 and subjects[0].type == "model" else \
        common_name(rows)
    if all(open_source_fact(r, "")[0] == "yes" for r in rows):
        draft = Draft(verdict="no", fact="premise")
        draft.say(f"The premise is not right: by the tables, {whom} "
                  f"{'is' if len(rows) == 1 else 'are'} open source.")
        for _, sentence, group in grouped("open_source", rows):
            draft.say(sentence, *cite(group))
        return draft
    draft = Draft(fact="open_source")
    draft.say(f"For {whom} to be open source under the OSI's Open Source AI Definition, what "
              "stands in the way would have to change:" if would else
              f"By the OSI's Open Source AI Definition, {whom} {be(rows)} not open source, "
              "for these reasons:")
    closed = [r for r in rows if r.access == "api"]
    if closed:
        draft.say(f"- {names(closed)} {be(closed)} available only through an API: the weights "
                  "are not published at all.", *cite(closed))
    published = [r for r in rows if r.access != "api"]
    for _, sentence, group in grouped("open_source", published):
        draft.say(f"- {sentence}", *cite(group))
    why = why_not_open_source(sorted({r.licence for r in published if not r.osi_approved}),
                              catalogue.facts)
    if why:
        draft.say(f"- {why}", (OSI_DEFINITION, "cannot grant that freedom"))
    withheld = [r for r in published if r.training_data == "none"]
    if withheld:
        draft.say(f"- The training data of {names(withheld)} is not published, while the "
                  "definition asks for enough detail about the training data to build a "
                  "substantially equivalent system, and for the complete training code.",
                  *cite(withheld), (OSI_DEFINITION, "substantially equivalent system"))
    return draft


def osi_premise(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """'Why did the OSI approve Meta's Llama licence?': it did not, if none of the licences
    (or the licences of the models) named is OSI-approved; and why they are not open source."""
    if not (ASSUMES.search(question) and OSI_CLAIM.search(question)):
        return None
    licences = [e for e in linked if e.type == "licence" and e.licence is not None]
    rows = [r for e in linked if e.type in ("model", "family") for r in e.rows]
    draft = Draft(verdict="no", fact="premise")
    if licences and not any(e.licence.osi_approved for e in licences):
        names = join([e.name for e in licences[:3]])
        draft.say(f"The OSI has not approved the {names}: " + (
            "it is not an OSI-approved open source licence." if len(licences) == 1 else
            "none of them is an OSI-approved open source licence."),
                  *[(e.id, "") for e in licences[:3]])
        keys = [e.key for e in licences]
    elif rows and not licences and not any(r.osi_approved for r in rows):
        terms = join(sorted({r.licence_name for r in rows})[:3])
        draft.say(f"The OSI has not approved these terms as open source: {terms} "
                  f"{'is' if len({r.licence for r in rows}) == 1 else 'are'} not OSI-approved.",
                  *[(f"model:{r.id}", "") for r in rows[:3]])
        keys = sorted({r.licence for r in rows})
    else:
        return None
    why = why_not_open_source(keys, catalogue.facts)
    if why:
        draft.say(why, (OSI_DEFINITION, "cannot grant that freedom"))
    return draft


# facts whose "yes" is a permission (a "ban" of the use is then a false premise)
PERMISSIONS = {"commercial_use", "outputs_training", "modification", "redistribution",
               "military_use", "medical_use", "eu_use"}


def ban_premise(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """'Since the Qwen License bans training on its outputs, how do I get around it?': it does
    not ban it, when the licence's fact is a permission (with or without a condition)."""
    if not (ASSUMES.search(question) and (NEGATIVE.search(question)
                                          or NON_COMMERCIAL.search(question))):
        return None  # 'since it is under a non-commercial licence' claims a ban too
    intent = detect(re.sub(r"\bwhy\b", " ", question, flags=re.I))  # "why" asks of the claim
    if intent is None or intent.kind not in PERMISSIONS:
        return None
    named = [e for e in linked if e.type == "licence"]
    rows = [r for e in linked if e.type in ("model", "family") for r in e.rows]
    lic = named[0] if named else (catalogue.licence_of(rows[0]) if rows and len(
        {r.licence for r in rows}) == 1 else None)
    fact = catalogue.facts.get(lic.key, {}).get(intent.kind) if lic else None
    if fact is None or fact.value not in ("yes", "conditional"):
        return None
    draft = Draft(verdict="no", fact="premise")
    draft.say(f"The premise is not right: the {lic.name} does not ban this" + (
        "." if fact.value == "yes" else "; it allows it on a condition."))
    return draft.say(with_section(fact), (lic.id, fact.quote))


def premise_subjects(linked: list[Entity]) -> tuple[list[Entity], list[ModelRow]]:
    """The models named (or else the families) a premise is about, and their table rows."""
    subjects = [e for e in linked if e.type == "model"] or [
        e for e in linked if e.type == "family"]
    return subjects, [r for e in subjects for r in e.rows]


def weights_premise(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """'Since Claude's weights are on Hugging Face, how do I download them?': an API-only model
    has no published weights (and 'is open source' of one is corrected the same way)."""
    subjects, rows = premise_subjects(linked)
    if not (rows and WEIGHTS_CLAIM.search(question) and all(r.access == "api" for r in rows)):
        return None
    name = subjects[0].name if len(subjects) == 1 and subjects[0].type == "model" else \
        strip_parens(rows[0].name).split()[0]
    draft = Draft(verdict="no", fact="premise")
    if YES_NO.search(question):  # 'Since GPT-4o is open source, can I host it myself?'
        draft.say("No.")
    said = (f"{name} is not open source: its weights are not published, and it is "
            if OPEN_CLAIM.search(question) else f"{name}'s weights are not published: it is ")
    draft.say(f"{said}available only through an API, under {rows[0].licence_name}.",
              *[(f"model:{r.id}", "") for r in rows[:3]])
    licences = [e for e in linked if e.type == "licence" and e.licence is not None]
    # 'Why did OpenAI publish GPT-5's weights under Apache 2.0?': what it has under that one
    return same_licence(draft, rows[0], licences[0], catalogue) if licences else draft


def api_only_premise(question: str, linked: list[Entity], catalogue: Catalogue
                     ) -> Draft | None:
    """'Why is Phi-4 only available through an API?': its weights are published."""
    _, rows = premise_subjects(linked)
    if not (rows and ASSUMES.search(question) and re.search(API_ONLY, norm(question))
            and rows[0].access != "api"):
        return None
    draft = Draft(verdict="no", fact="premise")
    draft.say(f"The premise is not right: {strip_parens(rows[0].name)} is not API-only.")
    return draft.say(row_fact("weights", rows[0])[1], (f"model:{rows[0].id}", ""))


def gate_draft(question: str, linked: list[Entity]) -> Draft | None:
    """'Is Phi-4 gated on Hugging Face?': the table's access column decides (a gated download,
    a plain download, or no weights at all). The weights answer had said 'Yes.' because
    Phi-4's weights are published."""
    _, rows = premise_subjects(linked)
    if not (rows and GATE_CLAIM.search(question) and YES_NO.match(question)) or ASSUMES.search(
            question):
        return None
    kinds = {r.access for r in rows}
    draft = Draft(verdict="yes" if kinds == {"gated"} else "no" if "gated" not in kinds
                  else "depends", fact="weights")
    draft.say({"yes": "Yes.", "no": "No.", "depends": "It depends on the version."}[
        draft.verdict])
    for kind, sentence in (("gated", "{names} {be} downloadable after you accept the licence "
                                     "terms (a gated download)."),
                           ("download", "{names} {be} downloadable without a licence gate."),
                           ("api", "{names} {be} available only through an API: no weights "
                                   "are published, gated or not.")):
        these = [r for r in rows if r.access == kind]
        if these:
            draft.say(sentence.format(names=join([strip_parens(r.name) for r in these[:6]]),
                                      be="is" if len(these) == 1 else "are"),
                      *[(f"model:{r.id}", "") for r in these[:6]])
    return draft


def gate_premise(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """'Why must I accept a gate for Phi-4?': only where the checked notes say 'no gate'."""
    _, rows = premise_subjects(linked)
    free = [r for r in rows if ungated(r)]
    if not (rows and rows[0] in free and GATE_CLAIM.search(question)
            and ASSUMES.search(question)):
        return None
    draft = Draft(verdict="no", fact="premise")
    if YES_NO.match(question):  # 'Must I accept a gate...?'; not a yes/no later in the
        draft.say("No.")  # question: 'Since Phi-4 is gated, can I use it without one?' is a yes
    draft.say(f"The premise is not right: {strip_parens(rows[0].name)}'s weights are not "
              "gated.")
    for row in free[:3]:
        draft.say(f"{strip_parens(row.name)} downloads without accepting a licence first; "
                  f"it is under the {row.licence_name}.", (f"model:{row.id}", ""))
    return draft


def licence_premise(question: str, linked: list[Entity], catalogue: Catalogue
                    ) -> Draft | None:
    """'Since Llama 2 is Apache 2.0, ...': the licence it is released under, and the same
    developer's models that are under the licence named."""
    subjects, rows = premise_subjects(linked)
    licences = [e for e in linked if e.type == "licence"]
    if len(rows) > 1 and re.search(r"\b(just |exactly )?like\b", question, re.I):
        rows = subjects[0].rows  # 'Mistral Large 2 is Apache 2.0 just like Mistral 7B': the
        # claim is about the one named first
    if not (licences and ASSUMES.search(question) and len(rows) == 1
            and rows[0].licence != licences[0].key):
        return None
    row, lic = rows[0], licences[0]
    draft = Draft(verdict="no", fact="premise")
    draft.say(f"{strip_parens(row.name)} is not released under the {lic.name}.")
    draft.say(row_fact("which_licence", row)[1], (f"model:{row.id}", ""))
    use = detect(question)
    if use is not None and use.kind == "commercial_use":  # '..., so I can sell it?'
        told = table_use_draft(Intent("commercial_use", False, False), rows)
        if told is not None:
            value = "allowed" if row.commercial_use == "yes" else "not allowed"
            draft.say(f"The openness table records its commercial use as {value}.",
                      (f"model:{row.id}", ""))
            draft.sentences += told.sentences[1:]  # its recorded restrictions
    return same_licence(draft, row, lic, catalogue)


def same_licence(draft: Draft, row: ModelRow, lic: Entity, catalogue: Catalogue) -> Draft:
    """The draft, with the models of the row's developer that are under the licence a false
    premise named ('OpenAI's models under the Apache License 2.0 are gpt-oss-120b and ...')."""
    dev = next((e for e in catalogue.entities.values() if e.type == "developer"
                and row in e.rows), None)
    same = [r for r in (dev.rows if dev else []) if r.licence == lic.key]
    if same:
        names = [strip_parens(r.name) for r in same[:6]] + (
            [f"{len(same) - 6} more (the Compare models tab lists them)"]
            if len(same) > 6 else [])
        draft.say(f"{row.developer}'s model{'s' if len(same) > 1 else ''} under the "
                  f"{lic.name} {'are' if len(same) > 1 else 'is'} {join(names)}.",
                  *[(f"model:{r.id}", "") for r in same[:6]])
    return draft


PREMISE_CHECKS = (osi_premise, ban_premise, weights_premise, api_only_premise, gate_premise,
                  licence_premise)


def premise_draft(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """Correct a false premise the tables can see: the first of PREMISE_CHECKS that finds
    one (an OSI approval that did not happen, a ban a licence does not make, weights of an
    API-only model, a licence a model is not released under...)."""
    return next((draft for check in PREMISE_CHECKS
                 if (draft := check(question, linked, catalogue)) is not None), None)


def closed_weights_asked(question: str, linked: list[Entity]) -> bool:
    """A question that needs the weights (fine-tune them, release them, run them on one's own
    machine) of models that are all API-only: whatever else it asks, the weights settle it."""
    _, rows = premise_subjects(linked)
    # not 'Can I fine-tune GPT-4o?' alone: some vendors tune their models through the API
    return bool(rows) and all(r.access == "api" for r in rows) and bool(re.search(
        dict(INTENTS)["weights"], norm(question)))
