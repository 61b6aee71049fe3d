"""Answers from the openness table (corpus/models.yaml): a model's licence, weights, data and
code; questions over the whole table; models compared on openness or licence; and the rules a
row records for a licence Faultline holds no clauses for."""

from __future__ import annotations

import re
from collections import Counter

from app.draft import VERDICT_WORD, Draft, flip, join, users, with_section
from app.entities import Catalogue, Entity, norm, strip_parens
from app.intent import COMPARE_WORDS, INTENTS, YES_NO, Intent, count_in
from app.licence_answers import (
    LICENCE_ABOUT,
    crossing,
    deciding_draft,
    licence_draft,
    licence_terms,
)
from app.load import COMPONENT_NAMES, LicenceFact, ModelRow

# what in a row's recorded restrictions bears on a use the licence texts leave open
RECORDED = {"eu_use": r"\bEU\b|\bEuropean Union\b", "military_use": r"\bmilitary\b|\bweapons?\b",
            "medical_use": r"\bmedical\b"}


def recorded(kind: str, rows: list[ModelRow]) -> list[tuple[str, list[tuple[str, str]]]]:
    """'The models table records: ...' for each row whose checked restrictions name the use
    (Llama 3.2's use policy withholds rights from EU-based companies for its vision models)."""
    out = []
    for row in rows:
        notes = restriction_notes(row, RECORDED.get(kind, r"(?!)"))
        if notes:
            out.append((f"The models table records for {strip_parens(row.name)}: "
                        f"{'; '.join(notes)}.", [(f"model:{row.id}", "")]))
    return out


def restriction_notes(row: ModelRow, pattern: str) -> list[str]:
    """The parts of a row's recorded restrictions ('...; ...') that match the pattern."""
    return [n.strip().rstrip(".") for n in re.split(r";|(?<=\.)\s+(?=[A-Z])", row.restrictions)
            if re.search(pattern, n, re.I)]


def by_licence_draft(intent: Intent, rows: list[ModelRow], catalogue: Catalogue,
                     facts: dict[str, dict[str, LicenceFact]], most: int = 4) -> Draft | None:
    """A family whose versions are under different licences: each licence's answer for the
    versions under it (API-only versions have no licence to ask about). One verdict leads
    only when every version has it, naming the versions whose licence Faultline holds no
    facts for; a held licence that leaves the use open gives no answer."""
    groups: dict[str, list[ModelRow]] = {}
    for row in rows:
        if row.access != "api":  # no weights, no licence to ask about
            groups.setdefault(row.licence, []).append(row)
    if not 1 < len(groups) <= most:
        return None
    parts, unheld = [], []
    for key, members in groups.items():
        lic = catalogue.licence_of(members[0])
        if lic is None or key not in facts:
            part = table_use_draft(Intent("commercial_use", intent.yes_no, False), members) if (
                intent.kind == "commercial_use" and not intent.negative) else None
            if part is not None and part.verdict:  # the table's own column: Qwen2.5-3B's 'no'
                parts.append((members, None, part))
            else:
                unheld.append(members)
            continue
        part = deciding_draft(intent, lic, catalogue, facts)
        if part is None:
            return None  # a licence Faultline holds leaves this open: no verdict for the family
        parts.append((members, lic, part))
    if not parts:
        return None
    verdicts = {p.verdict for _, _, p in parts}
    mixed = verdicts == {"yes", "conditional"}
    draft = Draft(fact=parts[0][2].fact)
    missing = join([strip_parens(r.name) for members in unheld for r in members][:4])
    named_first = False  # the lead names the versions Faultline holds no facts for
    if intent.yes_no:
        draft.verdict = "yes" if mixed else verdicts.pop() if len(verdicts) == 1 else "depends"
        named_first = bool(unheld) and draft.verdict != "depends"
        word = VERDICT_WORD.get(draft.verdict, "").rstrip(".")
        word += " for the versions below" if named_first else ""
        word += ", on conditions that differ by version" if mixed else ""
        draft.say(f"{word}; Faultline holds no facts for the licence of {missing}."
                  if named_first else f"{word}.")
    for members, lic, part in parts:
        names = join([strip_parens(r.name) for r in members][:4])
        said = part.sentences[1:] if intent.yes_no else part.sentences
        if lic is not None:
            draft.say(f"{names} ({lic.name}):", *[(f"model:{r.id}", "") for r in members[:4]])
        draft.sentences += said
    if unheld and not named_first:
        draft.say(f"Faultline holds no facts for the licence of {missing}; read its terms.",
                  *[(f"model:{r.id}", "") for members in unheld for r in members][:2])
    return draft


LEVEL = {"none": "not published", "partial": "partly published", "full": "published"}
COMPONENT_INTENTS = ("checkpoints", "training_code", "inference_code", "data_documentation",
                     "evaluation", "paper", "model_card")
CELL = {"open": ("yes", "published openly"), "partial": ("partly", "only partly published"),
        "closed": ("no", "not published"), "unknown": ("unknown", "not known: the table marks "
                                                       "it unknown because we could not check it")}
USE_POLICY = {"open": "has no use restrictions beyond its licence's notices",
              "partial": "comes with published use restrictions (an acceptable-use policy or "
                         "use clauses)",
              "closed": "may be used only under its provider's service terms",
              "unknown": "has a use policy we could not check"}
MOF = {"none": "meets no Model Openness Framework class", "unknown": "has no Model Openness "
       "Framework class we could check", "I": "is Model Openness Framework Class I (open "
       "science)", "II": "is Model Openness Framework Class II (open tooling)",
       "III": "is Model Openness Framework Class III (open model)"}


def published_fact(row: ModelRow, name: str) -> tuple[str, str]:
    """What a row's developer published, component by component."""
    if row.openness is None:
        return "", weights_data_code(row, name)
    by_value: dict[str, list[str]] = {}
    cells = row.openness.cells()
    for key, cell in cells.items():
        if key != "use_policy":
            by_value.setdefault(cell.value, []).append(COMPONENT_NAMES[key])
    parts = [f"{label}: {', '.join(by_value[v])}" for v, label in (
        ("open", "published openly"), ("partial", "partly published"),
        ("closed", "not published"), ("unknown", "not known")) if v in by_value]
    return "", (f"For {name}, " + "; ".join(parts) + f"; and the model "
                f"{USE_POLICY[cells['use_policy'].value]}.")


def component_fact(kind: str, row: ModelRow, name: str) -> tuple[str, str]:
    """(value, sentence) of one openness component of a row, with its evidence."""
    if row.openness is None:
        return "unknown", f"The table does not record the openness components of {name} yet."
    if kind == "mof_class":
        value = row.openness.mof_class
        return value, f"{name} {MOF[value]}."
    cell = row.openness.cells()[kind]
    value, phrase = CELL[cell.value]
    if kind == "use_policy":
        return value, f"{name} {USE_POLICY[cell.value]}."
    label = COMPONENT_NAMES[kind]
    verb = "are" if label.endswith(("s", "weights")) else "is"
    note = f" ({cell.note.rstrip('.')})" if cell.note else ""
    return value, f"{name}'s {label} {verb} {phrase}{note}."
ACCESS = {"api": "available only through an API; its weights are not published",
          "download": "downloadable: its weights are published",
          "gated": "downloadable after you accept its licence terms (a gated download)"}


def row_fact(kind: str, row: ModelRow, name: str = "") -> tuple[str, str]:
    """(value, sentence) of one table fact about one row."""
    name = name or strip_parens(row.name)
    if kind in COMPONENT_INTENTS or kind == "mof_class":
        return component_fact(kind, row, name)
    if kind == "published":
        return published_fact(row, name)
    if kind == "weights":
        value = "no" if row.access == "api" else "yes"
        under = "" if row.access == "api" else f", under the {row.licence_name}"
        return value, f"{name} is {ACCESS[row.access]}{under}."
    if kind == "training_data":
        value = {"none": "no", "partial": "partly", "full": "yes"}[row.training_data]
        weights = "are not published" if row.access == "api" else "are published"
        sentence = (f"{name}'s weights {weights}; its training data is "
                    f"{LEVEL[row.training_data]}, and its training code is "
                    f"{LEVEL[row.training_code]}.")
        notes = restriction_notes(row, r"\b(data|datasets?|corpus|trained on)\b") if \
            row.training_data != "none" else []
        return value, sentence + (f" The table notes: {notes[0]}." if notes else "")
    if kind == "released":
        when = row.released.strftime("%B %Y" if row.date_precision == "month" else "%d %B %Y")
        return str(row.released), f"{name} was released in {when}." if \
            row.date_precision == "month" else f"{name} was released on {when.lstrip('0')}."
    if kind == "osi_licence":
        return ("yes" if row.osi_approved else "no"), (
            f"{name} is released under the {row.licence_name}, which is "
            f"{'an' if row.osi_approved else 'not an'} OSI-approved licence.")
    if kind == "which_licence":
        osi = "an OSI-approved licence" if row.osi_approved else "not an OSI-approved licence"
        if row.access == "api":
            return row.licence, (f"{name} has no model licence: it is available only through an "
                                 f"API under {row.licence_name.split(' (')[0]}.")
        return row.licence, f"{name} is released under the {row.licence_name} ({osi})."
    value, sentence = open_source_fact(row, name)
    osaid = row.openness.osaid if row.openness else "not assessed"
    if osaid != "not assessed":
        sentence += (f" OSI's validation of its Open Source AI Definition "
                     f"{'listed' if osaid == 'open source ai' else 'did not list'} {name} as "
                     "Open Source AI.")
    return value, sentence


def open_source_fact(row: ModelRow, name: str) -> tuple[str, str]:
    if row.access == "api":
        return "no", f"{name} is closed: it is available only through an API and its weights are "\
            "not published."
    if not row.osi_approved:
        return "no", (f"{name} is released under the {row.licence_name}, which is not an "
                      "OSI-approved open source licence.")
    if row.training_data == "full" and row.training_code == "full":
        return "yes", (f"{name}'s weights are under the {row.licence_name}, an OSI-approved "
                       "licence, and its training data and training code are published.")
    return "partly", (f"{name}'s weights are under the {row.licence_name}, an OSI-approved "
                      f"licence, so it is open-weight; its training data is "
                      f"{LEVEL[row.training_data]} and its training code is "
                      f"{LEVEL[row.training_code]}, which the OSI definition also looks at.")


PLURAL = [(r"^\0 is ", "\0 are "), (r"^\0 was ", "\0 were "), (r"^\0 has ", "\0 have "),
          (r": it is ", ": they are "),
          (r"; it is ", "; they are "), (r"\bso it is\b", "so they are"), (r"\bits\b", "their"),
          (r"^\0's (\w+(?: \w+)?) (is|are)\b", r"the \1 of \0 \2")]


def grouped(kind: str, rows: list[ModelRow]) -> list[tuple[str, str, list[ModelRow]]]:
    """(value, sentence, rows): rows that share a fact are said once ('Gemma, Gemma 2 and
    Gemma 3 are released under the Gemma Terms of Use')."""
    groups: dict[tuple[str, str], list[ModelRow]] = {}
    for row in rows:
        groups.setdefault(row_fact(kind, row, "\0"), []).append(row)
    out = []
    for (value, template), members in groups.items():
        if len(members) > 1:
            for pattern, repl in PLURAL:
                template = re.sub(pattern, repl, template)
        sentence = template.replace("\0", join([strip_parens(r.name) for r in members]))
        # 'the weights of X are...' starts upper case; a name that is lower case stays so
        upper = sentence.startswith("\0") or not sentence.startswith(strip_parens(
            members[0].name))
        out.append((value, sentence[0].upper() + sentence[1:] if upper else sentence, members))
    return out


# a licence rule a row's checked restrictions may record, for a licence Faultline holds no
# clauses for; and the words of a recorded rule that forbid the use outright
TABLE_RULES = {"outputs_training": r"\boutputs?\b",
               "user_threshold": r"\bmonthly active users?\b|\brevenue\b",
               "naming_rule": r"\bBuilt with\b|\bnames?\b",
               "attribution": r"\battribution\b|\bBuilt with\b|\bnotices?\b",
               "hosted_service": r"\bhosted\b"}
FORBIDS = re.compile(r"^no\b|\bmay not\b", re.I)


def released_under(rows: list[ModelRow]) -> str:
    """'A and B are released under the L' (the first row's licence name), no full stop."""
    return (f"{join([strip_parens(r.name) for r in rows])} {'is' if len(rows) == 1 else 'are'} "
            f"released under the {rows[0].licence_name}")


def described_draft(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """'What is the Mistral Research License?', a licence Faultline holds no text of: the
    models under it, then its summary page's section about it, said to be a summary. The
    model had given it the Non-Production License's terms, cited to another row."""
    lic = linked[0] if len(linked) == 1 else None
    if lic is None or lic.described is None or not LICENCE_ABOUT.search(question):
        return None
    from app.postprocess import split

    rows, page = catalogue.rows_under(lic), lic.described.page
    draft = Draft(fact="described_licence")
    if rows:
        closed = "" if any(r.osi_approved for r in rows) else (
            ", which the models table records as not an OSI-approved licence")
        draft.say(f"{released_under(rows)}{closed}.", *[(f"model:{r.id}", "") for r in rows[:6]])
    summary = split(catalogue.summaries.get(lic.key, ""))[:3]
    for sentence in summary:
        draft.say(sentence, (page, sentence))
    if not summary:  # no summary written: what the table records of its terms
        said: dict[str, list[ModelRow]] = {}
        for row in rows:  # rows that say the same: said once, for all of them
            if row.restrictions:
                said.setdefault(split(row.restrictions)[0], []).append(row)
        for first, group in list(said.items())[:2]:
            draft.say(f"The table records for {join([strip_parens(r.name) for r in group])}: "
                      f"{first}", *[(f"model:{r.id}", "") for r in group[:6]])
    draft.say("Faultline holds no copy of this licence's text: this is from its summary, which "
              "leaves out what could not be checked, so read the licence before relying on it."
              if summary else "Faultline holds no copy of this licence's text or a summary of "
              "it, so read the licence before relying on any of this.")
    return draft if len(draft.sentences) > 1 else None


def table_rule_draft(intent: Intent, rows: list[ModelRow]) -> Draft | None:
    """What the openness table records of a rule, for models whose one licence has no checked
    clauses here (Meta Llama 3's: no using outputs to improve other LLMs); a verdict where the
    recorded rule states it (outputs forbidden, a duty or a cap that exists, a user count
    above or below the recorded threshold); None when no row records the rule."""
    notes = [n for n in restriction_notes(rows[0], TABLE_RULES.get(intent.kind, r"(?!)"))
             if intent.kind != "outputs_training" or re.search(r"\b(train|improve)", n)]
    if not notes or len({r.restrictions for r in rows}) != 1:
        return None
    draft = Draft(fact=intent.kind)
    limit = count_in(notes[0]) if intent.kind == "user_threshold" and re.search(
        r"\busers?\b", notes[0]) and not intent.revenue else None
    if intent.yes_no and intent.count and limit:  # '900 million users' against the row's 700
        draft.verdict, lead = crossing(intent, limit, "users")
        draft.say(lead)
    else:
        if intent.kind == "outputs_training":  # a rule that forbids it: not allowed
            draft.verdict = "no" if any(map(FORBIDS.search, notes)) else None
        elif intent.kind != "hosted_service" and not intent.count:  # the duty or cap exists
            draft.verdict = "yes"
        if intent.yes_no and draft.verdict:
            if intent.negative and intent.kind != "user_threshold":
                draft.verdict = flip(draft.verdict)
            draft.say(VERDICT_WORD[draft.verdict])
        else:
            draft.verdict = None
    return draft.say(
        f"{released_under(rows)}, which Faultline holds no checked clauses for; the openness "
        f"table records: {'; '.join(notes)}.", *[(f"model:{r.id}", "") for r in rows[:6]])


def allowed_by_release(intent: Intent, rows: list[ModelRow]) -> Draft | None:
    """A licence silent on outputs, for models whose release expressly allows distillation
    (DeepSeek-R1's README, MIT): yes, from the checked note of the first release the name
    means, naming later releases without one; None when the first release has none."""
    rows = sorted(rows, key=lambda r: r.released)
    notes = [restriction_notes(r, r"\bdistil\w*\b.{0,30}\b(allowed|permitted)\b") for r in rows]
    if not notes[0]:
        return None
    draft = Draft(fact=intent.kind)
    if intent.yes_no:
        draft.verdict = "no" if intent.negative else "yes"
        draft.say(VERDICT_WORD[draft.verdict])
    draft.say(f"{released_under(rows[:1])}, which does not mention outputs; the openness "
              f"table records for the release: "
              f"{notes[0][0]}.", (f"model:{rows[0].id}", ""))
    others = [r for r, n in zip(rows, notes, strict=True) if not n]
    if others:
        names = join([strip_parens(r.name) for r in others])
        draft.say(f"It records no such statement for {names}, under the "
                  f"{others[0].licence_name}.", *[(f"model:{r.id}", "") for r in others])
    return draft


def service_terms_draft(intent: Intent, rows: list[ModelRow], catalogue: Catalogue,
                        facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """Outputs of API-only models ('GPT-4 outputs'): no model licence, so OpenAI's Terms of Use
    for ChatGPT and its services for individuals, which do not cover the API."""
    terms = [catalogue.service_terms(r) for r in rows]
    if intent.kind not in ("outputs_training", "output_ownership") or not terms or None in \
            terms or len({t.id for t in terms}) != 1:
        return None
    lic = terms[0]
    key, fact = lic.key, facts.get(lic.key, {}).get(intent.kind)
    if fact is None:
        return None
    draft = licence_draft(intent, lic, facts[key]) or Draft(fact=intent.kind).say(
        with_section(fact), (lic.id, fact.quote))
    names = join([strip_parens(r.name) for r in rows[:4]])
    draft.sentences.insert(1 if draft.verdict else 0, (
        f"{names} {'has' if len(rows) == 1 else 'have'} no model licence: only OpenAI's "
        f"services give access to {'it' if len(rows) == 1 else 'them'}. The nearest terms "
        f"Faultline holds are the {lic.name}, for ChatGPT and OpenAI's other services for "
        "individuals.", [(f"model:{r.id}", "") for r in rows[:2]]))
    return draft.say("The APIs and other business services fall under OpenAI's Business "
                     "Terms, which Faultline does not hold.",
                     (lic.key, "fall under OpenAI's Business Terms"))


def table_use_draft(intent: Intent, rows: list[ModelRow]) -> Draft | None:
    """Commercial use of models whose licence has no structured facts (Codestral's MNPL): the
    openness table's own yes or no for every row, with its recorded restrictions; for one
    licence the table records as 'restricted' (Falcon 180B's), no verdict, and those
    restrictions; None when the rows disagree."""
    values = {r.commercial_use for r in rows}
    if values == {"restricted"} and len({r.licence for r in rows}) == 1 and rows[0].restrictions:
        return Draft(fact="commercial_use").say(
            f"{released_under(rows)}, which Faultline holds no checked clauses for; the "
            f"openness table records commercial use as restricted: {rows[0].restrictions}",
            *[(f"model:{r.id}", "") for r in rows[:6]])
    if len(values) != 1 or not values <= {"yes", "no"}:
        return None
    value = values.pop()
    draft = Draft(fact="commercial_use")
    if intent.yes_no:
        draft.verdict = flip(value) if intent.negative else value
        draft.say(VERDICT_WORD[draft.verdict])
    cited = [(f"model:{r.id}", "") for r in rows[:6]]
    draft.say(f"{released_under(rows)}, and the openness table records commercial use as "
              f"{'allowed' if value == 'yes' else 'not allowed'}.", *cited)
    notes = {r.restrictions for r in rows if r.restrictions}
    if len(notes) == 1:
        draft.say(f"Notable restrictions: {notes.pop()}", *cited)
    return draft


def model_draft(intent: Intent, rows: list[ModelRow], asked_licence: Entity | None,
                family_source: str) -> Draft | None:
    kind = intent.kind
    if kind not in ("weights", "training_data", "which_licence", "open_source", "released",
                    "osi_licence", "mof_class", "published", *COMPONENT_INTENTS):
        return None
    facts = grouped(kind, rows)
    values = {v for v, _, _ in facts}
    draft = Draft(fact=kind)
    if asked_licence is not None and kind in ("which_licence", "open_source", "osi_licence"):
        # "Is Llama 2 released under Apache 2.0?": compare with the licence asked about
        match = {row.licence == asked_licence.key for row in rows}
        draft.verdict = "yes" if match == {True} else "no" if match == {False} else "depends"
        lead = VERDICT_WORD[draft.verdict]
        if draft.verdict == "depends" and re.search(r"\b(all|every|each)\b", intent.words):
            draft.verdict, lead = "no", f"No, not all of them are under the {asked_licence.name}."
        elif draft.verdict == "no":
            lead = f"No, not under the {asked_licence.name}."
        draft.say(lead)
        for _, sentence, members in facts:
            draft.say(sentence, *[(f"model:{r.id}", "") for r in members])
        if len(rows) == 1 and rows[0].restrictions and rows[0].licence != asked_licence.key:
            # what the licence it is under adds: 'Falcon 180B ... hosted use may need a licence'
            draft.say(f"Notable restrictions: {rows[0].restrictions}", (f"model:{rows[0].id}", ""))
        return draft
    if intent.yes_no and kind not in ("which_licence", "released"):
        value = values.pop() if len(values) == 1 else "depends"
        if intent.negative and value in ("yes", "no"):
            value = flip(value)
        draft.verdict = value if value in VERDICT_WORD else None  # unknown: no verdict
        if kind == "weights" and value == "yes" and {r.access for r in rows} == {"gated"}:
            draft.say("Yes, after you accept the licence terms.")
        elif draft.verdict:
            draft.say(VERDICT_WORD[value])
    for _, sentence, members in facts:
        draft.say(sentence, *[(f"model:{r.id}", "") for r in members])
    if kind in ("which_licence", "released") and len(values) > 1 and not intent.yes_no:
        draft.sentences.insert(0, ("It depends on the version.", []))
    if family_source:
        draft.sentences[-1][1].append((family_source, ""))
    return draft


def shared_word(rows: list[ModelRow]) -> str:
    """'Gemma' for rows whose names all hold it ('Gemma 2', 'CodeGemma'...), else ''."""
    words = [strip_parens(r.name).split() for r in rows]
    return next((w for w in words[0] if all(w.lower() in " ".join(ws).lower()
                                            for ws in words[1:])), "")


# "Which models publish their training data?", "List the Mistral models under Apache 2.0"
TABLE_QUERY = re.compile(r"^\W*(?:(which|what)|(list|name|show)( me)?( all)?( the)?)\s+((?!(is|are|"
                         r"was|were|do|does|did|the|an?)\b)[\w.-]+\s+){0,3}(models|llms|"
                         r"releases)\b|^\W*how many ([\w.-]+\s+){0,3}(models|llms|releases)\b|"
                         r"^\W*(can|could) you (name|list|give me|show me|suggest)"
                         r"( me)? (a|an|one|some|any|the)?\s*([\w.-]+\s+){0,2}(models?|llms?)\b|"
                         # "Give me an example of an open-weight model...", "Name a model..."
                         r"^\W*(give me|name|suggest|list|show me)\s+(an?|one|some|any|a few|two|"
                         r"three)?\s*(examples?( of)?\s+)?(an?\s+)?([\w.-]+\s+){0,2}(models?|"
                         r"llms?)\b", re.I)
# "Which Qwen models are not Apache 2.0?", "... aren't under MIT", "other than the MIT licence":
# a negation just before the licence's name
NOT_UNDER = re.compile(r"\b(not|t|never|other than|except|besides)( (released|licen[cs]ed|"
                       r"under|using|an?|the|with))* $")


def licence_negated(question: str, lic: Entity) -> bool:
    text = f" {norm(question)} "
    return any(NOT_UNDER.search(text[:i + 1]) for alias in lic.aliases
               if (i := text.find(f" {alias} ")) >= 0)


# "Which developers publish their training data?": the table's rows, by who makes them
TABLE_DEVELOPERS = re.compile(r"^\W*(which|what) (developers|companies|labs|organi[sz]ations|"
                              r"makers|vendors)\b", re.I)
CONDITIONS: list[tuple[str, str, object]] = [
    (r"\bfully open\b|\bopen[- ]source\b.{0,40}\b(data|code)\b|\b(data|code) and "
     r"(the )?(training )?(data|code)\b", "publish both training data and training code",
     lambda r: r.training_data == "full" and r.training_code == "full"),
    (r"\btraining data\b|\bdatasets?\b", "publish their full training data",
     lambda r: r.training_data == "full"),
    (r"\btraining code\b", "publish their training code", lambda r: r.training_code == "full"),
    (r"\bcheckpoints?\b", "publish intermediate training checkpoints",
     lambda r: r.openness is not None and r.openness.checkpoints.value == "open"),
    (r"\bapi[- ]only\b|\bonly\b.{0,30}\b(through|via|by|over) (an |the |their )?apis?\b|"
     r"\bclosed\b|\b(no|without) (downloadable |open |public )?weights\b", "are available only "
     "through an API", lambda r: r.access == "api"),
    (r"(?<!\bno )(?<!\bwithout )\bdownload\w*\b|\bopen[- ]weights?\b|\brun (locally|offline)\b",
     "have downloadable weights", lambda r: r.access != "api"),
    (r"\b(can ?not|can t|not|no|non|never)\b.{0,30}\bcommercial\w*|\bcommercial\w*\b.{0,20}\b("
     r"not allowed|forbidden|prohibited|banned|restricted)\b", "do not allow commercial use",
     lambda r: r.commercial_use == "no"),
    (r"\bcommercial\w*\b", "allow commercial use without restriction",
     lambda r: r.commercial_use == "yes"),
    (r"\b(osi|open source initiative)\b.{0,40}\b(say|said|list\w*|found|consider\w*|"
     r"validat\w*|pass\w*)\b.{0,40}\bopen source ai\b", "were listed as Open Source AI in "
     "the OSI's validation of its definition",
     lambda r: r.openness is not None and r.openness.osaid == "open source ai"),
    (r"\bosi[- ]approved\b", "are under an OSI-approved licence", lambda r: r.osi_approved),
]
TABLE_LIMIT = 12
# "Which models use an Open RAIL-M style licence?": a family of licences (licences.yaml)
LICENCE_FAMILIES = [
    (r"\b(open ?)?rail( ?m)?\b.{0,12}\b(style|family|type|kind|licenses?)\b|\brail licenses?\b",
     "rail", "a RAIL-family licence"),
    (r"\bcopyleft\b", "copyleft", "a copyleft licence"),
    (r"\bpermissive\b", "permissive", "a permissive licence"),
]


# "Are there companies that release both closed models and open-weight models?"
BOTH_KINDS = re.compile(r"\b(compan\w*|developers?|labs?|vendors?|makers?|providers?|firms?|"
                        r"who)\b.{0,60}\bboth\b", re.I)
CLOSED_WORDS = re.compile(r"\b(closed|api[- ]only|proprietary)\b", re.I)
OPEN_WORDS = re.compile(r"\bopen[- ]?(weights?|source|models?)?\b", re.I)


def developers_draft(question: str, linked: list[Entity], catalogue: Catalogue
                     ) -> Draft | None:
    """The developers whose rows include both API-only and open-weight models, each with
    examples of both, cited to the rows."""
    if not (BOTH_KINDS.search(question) and CLOSED_WORDS.search(question)
            and OPEN_WORDS.search(question)):
        return None
    scopes = [e for e in linked if e.type == "developer"]
    devs = scopes or [e for e in catalogue.entities.values() if e.type == "developer"]
    both = []
    for dev in devs:
        closed = [r for r in dev.rows if r.access == "api"]
        opened = [r for r in dev.rows if r.access != "api"]
        if closed and opened:
            both.append((dev, closed, opened))
    draft = Draft(fact="table")
    if YES_NO.search(question):
        draft.verdict = "yes" if both else "no"
        draft.say(VERDICT_WORD[draft.verdict])
    if not both:
        return draft.say("No developer in the table has both API-only and open-weight models.")
    draft.say(f"In the table, {len(both)} developer{'s' if len(both) > 1 else ''} release both "
              "API-only models and models with downloadable weights:")
    for dev, closed, opened in both[:6]:
        name = lambda rows: join([strip_parens(r.name) for r in rows[:2]])  # noqa: E731
        draft.say(f"- {dev.name}: {name(closed)} only through an API; {name(opened)} with "
                  "downloadable weights.", (f"model:{closed[0].id}", ""),
                  (f"model:{opened[0].id}", ""))
    return draft


# "Are there open-weight models from OpenAI?", "Has Google released open source models?"
OPEN_ANY = re.compile(r"^\W*(are there|is there|does|do|has|have|did)\b.*\bopen[- ]?(weights?|"
                      r"source|models?)\b", re.I)


def developer_open_draft(question: str, linked: list[Entity]) -> Draft | None:
    """Whether a developer has open-weight (or OSI-licensed) models, and which, from its rows;
    the model had quoted a gpt-oss passage with no yes or no."""
    devs = [e for e in linked if e.type == "developer"]
    if not (OPEN_ANY.search(question) and len(devs) == 1) or any(
            e.type == "model" for e in linked):
        return None
    dev = devs[0]
    source = bool(re.search(r"\bopen[- ]?source\b", question, re.I))
    rows = [r for r in dev.rows if r.access != "api" and (r.osi_approved or not source)]
    what = "under an OSI-approved licence" if source else "with published weights"
    verdict = "no" if not rows else "yes" if not source or any(
        open_source_fact(r, "")[0] == "yes" for r in rows) else "partly"  # data withheld
    draft = Draft(verdict=verdict, fact="table")
    draft.say(VERDICT_WORD[verdict])
    if not rows:
        return draft.say(f"The table holds no {dev.name} model {what}.",
                         *[(f"model:{r.id}", "") for r in dev.rows[:2]])
    draft.say(f"The table holds {len(rows)} {dev.name} model{'s' if len(rows) > 1 else ''} "
              f"{what}:")
    for _, sentence, members in grouped("open_source" if source else "which_licence",
                                        rows[:TABLE_LIMIT]):
        draft.say(f"- {sentence}", *[(f"model:{r.id}", "") for r in members[:4]])
    if len(rows) > TABLE_LIMIT:
        draft.say(f"There are {len(rows) - TABLE_LIMIT} more; the Compare models tab lists "
                  "them all.")
    return draft


# "What models has DeepSeek released?": a developer's or family's rows, listed
RELEASED_Q = re.compile(r"\b(what|which) (\w+ )?(models|llms|releases)\b.{0,40}\b(has|have|did|"
                        r"does|do)\b.{0,40}\b(release|publish|make|build|put out|launch)\w*\b",
                        re.I)


def released_draft(question: str, linked: list[Entity]) -> Draft | None:
    """'What models has DeepSeek released?': every row of the developer (or family) the
    question names, by name, with how each is reached, cited; the model had said 'two'."""
    if not RELEASED_Q.search(question) or any(e.type == "model" for e in linked):
        return None
    named = ([e for e in linked if e.type == "developer"]
             or [e for e in linked if e.type == "family"])
    if len(named) != 1 or not named[0].rows:
        return None
    rows = sorted(rows_of(named[:1]), key=lambda r: r.released)
    draft = Draft(fact="table")
    draft.say(f"The table holds {len(rows)} models from {named[0].name}, oldest first:")
    for kind, label in (("download", "with downloadable weights"),
                        ("gated", "with weights downloadable after accepting terms (gated)"),
                        ("api", "only through an API")):
        these = [r for r in rows if r.access == kind]
        if these:
            more = (f", and {len(these) - TABLE_LIMIT} more (the Compare models tab lists them "
                    "all)" if len(these) > TABLE_LIMIT else "")
            draft.say(f"- {label[0].upper()}{label[1:]}: "
                      f"{join([strip_parens(r.name) for r in these[:TABLE_LIMIT]])}{more}.",
                      *[(f"model:{r.id}", "") for r in these[:4]])
    return draft


# "Which is more open, Llama 3 or OLMo?": the openness of two subjects compared
MORE_OPEN = re.compile(r"\b(more|less|most|least) (open|closed)\b|\bopener\b", re.I)
PUBLISHED_LEVEL = {"full": 2, "partial": 1, "none": 0}


def rows_of(entities: list[Entity]) -> list[ModelRow]:
    """The table rows of these entities, each once (a family and its model share rows)."""
    return list({r.id: r for e in entities for r in e.rows}.values())


def openness(rows: list[ModelRow]) -> tuple[int, int]:
    """The least and most a subject's rows publish: weights, training code and training data
    (2 for full, 1 for partial, each)."""
    scores = [sum(PUBLISHED_LEVEL.get(v, 0) for v in (r.weights, r.training_code,
                                                       r.training_data)) for r in rows]
    return min(scores), max(scores)


def openness_draft(question: str, groups: list[list[Entity]]) -> Draft | None:
    """'Which is more open, Llama 3 or OLMo?': what each side publishes, from the table, and
    which publishes more when their ranges do not overlap. The model had said Llama 3."""
    if not MORE_OPEN.search(question) or len(groups) != 2:
        return None
    sides = [(g[0], sorted(rows_of(g), key=lambda r: r.released)) for g in groups]
    names = {e.id: strip_parens(e.name) for e, _ in sides}
    if not all(rows for _, rows in sides):
        return None
    (a, ra), (b, rb) = sides
    (alo, ahi), (blo, bhi) = openness(ra), openness(rb)
    for side, rows in ((a, ra), (b, rb)):  # 'Mixtral' is two releases: said as the question
        if len(rows) > 1 and shared_word(rows):  # says it
            names[side.id] = shared_word(rows)
    draft = Draft(fact="openness")

    def lead(more: Entity) -> None:  # 'Is Mistral 7B more open than Pythia?': about the first
        if YES_NO.match(question):
            asked_more = not re.search(r"\b(less|least) open|\bmore closed\b", question, re.I)
            draft.verdict = "yes" if (more is a) == asked_more else "no"
            draft.say(VERDICT_WORD[draft.verdict])
    if alo > bhi or blo > ahi:
        more, less = (a, b) if alo > bhi else (b, a)
        lead(more)
        draft.say(f"{names[more.id]} is more open than {names[less.id]}: it "
                  "publishes more of what it takes to study and rebuild the model.")
    elif alo == ahi == blo == bhi:  # the same parts published: the licences decide, if they
        osi = [{r.osi_approved for r in rows} for _, rows in sides]  # differ
        if osi[0] != osi[1] and all(len(o) == 1 for o in osi):
            more, less = (a, b) if True in osi[0] else (b, a)
            lead(more)
            draft.say(f"{names[more.id]} is more open than {names[less.id]} "
                      "by its licence: both publish the same parts, but only "
                      f"{names[more.id]}'s licence is OSI-approved.")
        else:
            if YES_NO.match(question):
                draft.verdict = "no"
                draft.say(VERDICT_WORD["no"])
            draft.say("Neither is more open by the table: they publish the same parts, and "
                      + ("both licences are OSI-approved." if True in osi[0] else
                         "neither licence is OSI-approved."))
    else:
        draft.say("It depends on the version: their releases overlap in how much they "
                  "publish.")
    for _, rows in sides:
        for row in rows[:3]:
            draft.say(weights_data_code(row) + (f" Licence: the {row.licence_name}." if
                                                alo == ahi == blo == bhi else ""),
                      (f"model:{row.id}", ""))
    return draft


# "Does Qwen3 have the same licence as Qwen2.5-72B?" (not '..., so I can ship it?')
SAME_TERMS = re.compile(r"\b(same|identical|different|another) (licen[cs]es?|terms|agreements?)\b",
                        re.I)


def same_terms_draft(question: str, groups: list[list[Entity]]) -> Draft | None:
    """Whether two models are under the same licence: each side's licence from the table, and
    yes when each has one and it is the same one. The model had said Qwen3 and Qwen2.5-72B
    share Apache 2.0; Qwen2.5-72B is under the Qwen License."""
    if not (SAME_TERMS.search(question) and YES_NO.match(question)) or len(groups) != 2 or \
            re.search(dict(INTENTS)["commercial_use"], norm(question)):
        return None  # 'the same terms, so I can ship it?' asks the use: with_purpose
    sides = [rows_of(g) for g in groups]
    licences = [{r.licence for r in rows if r.access != "api"} for rows in sides]
    if not all(licences) or any("other" in keys for keys in licences) and licences[0] == \
            licences[1]:
        return None  # no weights, or two unnamed custom licences: the table cannot compare
    same = licences[0] == licences[1] and len(licences[0]) == 1
    draft = Draft(fact="same_licence", verdict="yes" if same else "no" if not (
        licences[0] & licences[1]) else "depends")
    if re.search(r"\b(different|another)\b", SAME_TERMS.search(question).group(0), re.I):
        draft.verdict = flip(draft.verdict)
    draft.say(VERDICT_WORD[draft.verdict])
    for rows in sides:
        for _, sentence, members in grouped("which_licence", rows):
            draft.say(sentence, *[(f"model:{r.id}", "") for r in members[:6]])
    return draft


def weights_data_code(row: ModelRow, name: str = "") -> str:
    """'OLMo: weights published, training data published, training code published.'"""
    return (f"{name or strip_parens(row.name)}: weights {LEVEL[row.weights]}, training data "
            f"{LEVEL[row.training_data]}, training code {LEVEL[row.training_code]}.")


SINGULAR = {"do": "does", "are": "is", "have": "has", "publish": "publishes", "allow": "allows",
            "were": "was"}


def table_draft(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """A question over the whole table: the rows that meet every condition it names, listed
    by name and cited; a licence, family or developer it names narrows the rows."""
    by_developer = bool(TABLE_DEVELOPERS.search(question))
    if not (TABLE_QUERY.search(question) or by_developer) or any(e.type == "model"
                                                                  for e in linked):
        return None
    text = norm(question)
    wanted = [(phrase, test) for pattern, phrase, test in CONDITIONS if re.search(pattern, text)]
    count = count_in(question)
    if count and re.search(r"\b(thresholds?|limits?|caps?|ceilings?)\b", text):
        # 'Which models have a 700 million user threshold?': the licence facts' numbers, or
        # the row's checked restrictions for a licence Faultline holds no clauses for
        def crosses(r: ModelRow, count: float = count) -> bool:
            fact = catalogue.facts.get(r.licence, {}).get("user_threshold")
            limits = fact.threshold if fact else None
            return bool(limits) and count in (limits.monthly_active_users,
                                              limits.annual_revenue_usd,
                                              limits.monthly_revenue_usd) or (
                f"{users(count)} monthly active" in r.restrictions)
        wanted.append((f"have a {users(count)} threshold in their licence", crosses))
    if any(phrase.startswith("do not allow") for phrase, _ in wanted):  # 'can't be used
        wanted = [w for w in wanted if not w[0].startswith("allow")]  # commercially
    if wanted and wanted[0][0].startswith("publish both"):
        wanted = wanted[:1] + [w for w in wanted[1:] if not w[0].startswith("publish their")]
    licences = [e for e in linked if e.type == "licence"]
    scopes = [e for e in linked if e.type in ("family", "developer")]
    for pattern, key, phrase in LICENCE_FAMILIES:
        if not licences and re.search(pattern, text):
            wanted.append((f"are under {phrase}", lambda r, key=key: (
                lic := catalogue.licence_of(r)) is not None and lic.licence is not None
                and lic.licence.family == key))
            break
    if not wanted and not licences:
        return None
    pool = [r for e in scopes for r in e.rows] if scopes else [
        e.rows[0] for e in catalogue.entities.values() if e.type == "model"]
    # 'Which Qwen models are not Apache 2.0?': the rows under any other licence
    unlicensed = bool(licences) and licence_negated(question, licences[0])
    hits = [r for r in pool if all(test(r) for _, test in wanted)
            and (not licences or (r.licence in {e.key for e in licences}) != unlicensed)]
    hits = list({r.id: r for r in hits}.values())
    what = " and ".join(phrase for phrase, _ in wanted)
    if licences:
        what = (what + " and " if what else "") + (
            f"are not under the {licences[0].name}" if unlicensed
            else f"are under the {licences[0].name}")
    named = [e for e in scopes if e.type == "developer"] or scopes
    scope = f" from {join([strip_parens(e.name) for e in named])}" if scopes else ""
    draft = Draft(fact="table")
    if not hits:  # cited to the rows it looked at, when the question narrowed them
        return draft.say(f"No models{scope} in the table {what}.",
                         *[(f"model:{r.id}", "") for r in pool[:3]] if scopes else [])
    if by_developer:  # 'Which developers publish their training data?': each with its models
        makers: dict[str, list[ModelRow]] = {}
        for row in hits:
            makers.setdefault(row.developer, []).append(row)
        if re.search(r"\b(only|exclusively)\b", text):  # 'which companies only offer their
            # models through APIs?': the developers all of whose models meet it
            makers = {m: rows for m, rows in makers.items()
                      if all(r in hits for r in pool if r.developer == m)}
            if not makers:
                return draft.say(f"No developer in the table has only models that {what}.")
            draft.say(f"In the table, {len(makers)} developer{'s' if len(makers) > 1 else ''} "
                      f"{'have' if len(makers) > 1 else 'has'} only models that {what}:")
        else:
            draft.say(f"In the table, {len(makers)} developer{'s' if len(makers) > 1 else ''} "
                      f"{'have' if len(makers) > 1 else 'has'} models that {what}:")
        for maker, rows in makers.items():
            shown = [strip_parens(r.name) for r in rows[:4]] + (
                [f"{len(rows) - 4} more"] if len(rows) > 4 else [])
            draft.say(f"- {maker}: {join(shown)}.",
                      *[(f"model:{r.id}", "") for r in rows[:2]])
        return draft
    names = [strip_parens(r.name) for r in hits[:TABLE_LIMIT]]
    more = (f", and {len(hits) - TABLE_LIMIT} more (the Compare models tab lists them all)"
            if len(hits) > TABLE_LIMIT else "")
    count = f"{len(hits)} model{'s' if len(hits) != 1 else ''}"
    if len(hits) == 1:  # 'publish their' -> 'publishes its', 'do not' -> 'does not'
        what = re.sub(r"(^|\band )(do|are|have|publish|allow|were)\b",
                      lambda m: m[1] + SINGULAR[m[2]], what).replace(" their ", " its ")
    draft.say(f"In the table, {count}{scope} {what}: {join(names)}{more}.",
              *[(f"model:{r.id}", "") for r in hits[:6]])
    return draft


# "Did that change with the newest generation?", "Does Gemma 4 use the same terms as the
# earlier Gemma models?": a licence compared across a family's releases
CHANGED = re.compile(r"\b(chang\w*|switch\w*|mov(e|ed|es))\b|\b(same|different) (terms|"
                     r"licen[cs]es?)\b", re.I)
RELEASES = re.compile(r"\b(newest|latest|new|generations?|earlier|previous|older|prior|before|"
                      r"versions?|releases?)\b", re.I)


def change_draft(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """Whether the licence of a family's release(s) asked about differs from its earlier
    releases': both sides from the table, each cited. The verdict answers the question's own
    words ('did that change?' yes; 'the same terms?' no)."""
    if not (CHANGED.search(question) and RELEASES.search(question)):
        return None
    rows = [r for e in linked if e.type == "model" for r in e.rows]
    if not rows or len({r.family for r in rows}) != 1:
        return None
    family = catalogue.entities.get(f"family:{rows[0].family}")
    first = min(r.released for r in rows)
    earlier = [r for r in (family.rows if family else []) if r.released < first]
    if not earlier:
        return None
    now, before = {r.licence for r in rows}, {r.licence for r in earlier}
    changed = "no" if now <= before else "yes" if not now & before else "depends"
    same = re.search(r"\bsame\b", question, re.I)
    draft = Draft(verdict=flip(changed) if same else changed, fact="licence_change")
    if draft.verdict in VERDICT_WORD:
        draft.say(VERDICT_WORD[draft.verdict])
    pages = sorted(s for s in (family.sources if family else set()) if ":" not in s)
    for _, sentence, members in grouped("which_licence", rows):
        draft.say(sentence, *[(f"model:{r.id}", "") for r in members[:6]])
    for _, sentence, members in grouped("which_licence", earlier):
        # the family's page tells its licence history in one passage; else each row
        draft.say(sentence, *([(pages[0], members[0].licence_name)] if pages else
                              [(f"model:{r.id}", "") for r in members[:6]]))
    return draft


# "Tell me about BLOOM.", "What is Mistral 7B?": the question is the name and nothing more
ABOUT = re.compile(r"^\W*(tell me (more )?about|what (is|are|was|were)|describe|give me an "
                   r"overview of|who (makes|made|developed|develops|created|creates|built|"
                   r"released|trained)|what do you know about)\s+(the\s+)?(.*?)"
                   r"(\s+(models?|family|series|llms?))?\W*$", re.I)
MOST_ROWS = 4  # a family with more releases than this is left to the written answer
# the words of a comparison that asks about nothing in particular
BARE_COMPARISON = {"what", "s", "is", "are", "the", "a", "an", "difference", "differences",
                   "between", "and", "how", "do", "does", "compare", "compared", "comparison",
                   "vs", "versus", "with", "to", "of", "differ", "model", "models", "two",
                   "these", "them", "main", "key", "tell", "me"}


# "What was the first open-weight model from Google?": the earliest row that meets it
FIRST = re.compile(r"\b(first|earliest|oldest)\b(?=.{0,50}\b(open[- ]?weights?|open[- ]?source|"
                   r"downloadable|open models?|weights)\b)", re.I)


def first_release_draft(question: str, linked: list[Entity]) -> Draft | None:
    """The earliest release with downloadable weights of the developer or family named, from
    the table, which says it lists notable releases only. The model had given Gemma's month
    wrong."""
    scopes = [e for e in linked if e.type in ("developer", "family")]
    if not FIRST.search(question) or not scopes or any(e.type == "model" for e in linked):
        return None
    rows = sorted((r for e in scopes for r in e.rows if r.access != "api"),
                  key=lambda r: r.released)
    if not rows:
        return None
    row = rows[0]
    when = row.released.strftime("%B %Y" if row.date_precision == "month" else "%d %B %Y")
    return Draft(fact="table").say(
        f"In the openness table, the earliest release from {row.developer} with downloadable "
        f"weights is {strip_parens(row.name)}, released {when.lstrip('0')}, under the "
        f"{row.licence_name}.", (f"model:{row.id}", "")).say(
        "The table lists notable releases only, so an earlier one may be missing from it.")


def profile(row: ModelRow) -> str:
    """One release in one line: maker, date, access, licence, data and code, restrictions."""
    when = row.released.strftime("%B %Y" if row.date_precision == "month" else "%d %B %Y")
    under = "" if row.access == "api" else (
        f", under the {row.licence_name} ({'an' if row.osi_approved else 'not an'} "
        "OSI-approved licence)")
    notes = f" The table notes: {row.restrictions.rstrip('.')}." if row.restrictions \
        else ""
    return (f"{strip_parens(row.name)}, by {row.developer}, released {when.lstrip('0')}: "
            f"{ACCESS[row.access]}{under}; its training data is {LEVEL[row.training_data]} "
            f"and its training code is {LEVEL[row.training_code]}.{notes}")


def family_word(rows: list[ModelRow]) -> str:
    """The word most of a family's rows are named by, as the newest writes it: 'Llama' for
    LLaMA, Llama 2 and Meta Llama 3; 'Qwen' for Qwen-7B, Qwen2.5 and Qwen3."""
    def first(row: ModelRow) -> str:
        words = [w for w in strip_parens(row.name).split()
                 if w.lower() != row.developer.split()[0].lower()] or [row.name]
        return re.match(r"[A-Za-z]*", words[0]).group()
    counts = Counter(first(r).lower() for r in rows if first(r))
    if not counts:
        return strip_parens(rows[0].name)
    word = counts.most_common(1)[0][0]
    return next(first(r) for r in reversed(rows) if first(r).lower() == word)


def families_draft(groups: list[list[Entity]]) -> Draft:
    """Two families compared ('Claude and Llama'), each in one line from its table rows: who
    makes it, how many releases from when to when, whether their weights are published and
    under which licences."""
    draft = Draft(fact="profile").say("What the models table records for each:")
    for group in groups:
        rows = sorted(rows_of([e for e in group if e.type in ("model", "family")]),
                      key=lambda r: r.released)
        if not rows:
            continue
        makers = join(list(dict.fromkeys(r.developer for r in rows)))
        span = (f"{len(rows)} releases, from {strip_parens(rows[0].name)} "
                f"({rows[0].released.year}) to {strip_parens(rows[-1].name)} "
                f"({rows[-1].released.year})") if len(rows) > 1 else "1 release"
        hosted = [r for r in rows if r.access == "api"]
        opened = [r for r in rows if r.access != "api"]
        licences = list(dict.fromkeys(r.licence_name for r in opened))
        osi = [r for r in opened if r.osi_approved]
        access = ("all available only through an API, their weights not published"
                  if not opened else
                  f"{'all' if not hosted else len(opened)} with downloadable weights, under "
                  f"{join(licences[:4])}{' and others' if len(licences) > 4 else ''}"
                  f" ({'none' if not osi else len(osi)} under an OSI-approved licence)"
                  + (f"; {len(hosted)} only through an API" if hosted else ""))
        name = family_word(rows)
        draft.say(f"- {name} ({makers}): {span}; {access}.",
                  *[(f"model:{r.id}", "") for r in (rows[:1] + rows[-1:])])
    return draft


def profiles_draft(question: str, groups: list[list[Entity]]) -> Draft | None:
    """'Tell me about BLOOM', 'What is the difference between Llama 2 and Mistral 7B?': each
    release named, from its table row. The model had called BLOOM open source and said
    Mistral 7B was announced with Microsoft."""
    about = ABOUT.match(question)
    if about and len(groups) == 1:
        said = norm(about.group(6))
        if not any(said in e.aliases or said == norm(e.name) for e in groups[0]):
            return None  # 'what is the licence of BLOOM?' asks one fact, not a profile
    elif not (COMPARE_WORDS.search(question) and len(groups) == 2) or set(
            norm(question).split()) - BARE_COMPARISON - {
            t for g in groups for e in g for a in e.aliases for t in a.split()}:
        return None  # 'differ in size and context length' asks about something in particular
    rows = rows_of([e for g in groups for e in g if e.type in ("model", "family")])
    draft = Draft(fact="profile")
    if rows and about and about.group(1).lower().startswith("who"):  # 'Who made OLMo?': its maker
        makers: dict[str, list[ModelRow]] = {}
        for row in rows:
            makers.setdefault(row.developer, []).append(row)
        for maker, made in makers.items():
            names = join([strip_parens(r.name) for r in made])
            draft.say(f"{names} {'is' if len(made) == 1 else 'are'} made by {maker}.",
                      *[(f"model:{r.id}", "") for r in made[:4]])
        return draft
    if rows and len(groups) == 2 and len(rows) > MOST_ROWS * len(groups):
        return families_draft(groups)  # 'Claude and Llama': each family in one line
    if not rows or len(rows) > MOST_ROWS * len(groups):
        return None
    if len(groups) == 2:
        draft.say("What the models table records for each:")
    for row in rows:
        draft.say(f"- {profile(row)}" if len(rows) > 1 else profile(row),
                  (f"model:{row.id}", ""))
    return draft


# "Which licence does Kimi K2 use, and what is special about it?": the licence, then its terms
LICENCE_AND_TERMS = re.compile(r"\b(which|what) licen[cs]e\b.{0,60}\band (what('s| is)|how is "
                               r"it|tell me) .{0,30}\b(special|unusual|different|notable|"
                               r"distinctive|unique|in it|about it)\b|\b(which|what) licen[cs]e\b"
                               r".{0,60}\band what (does|do) (it|that licen[cs]e) (say|allow|"
                               r"permit|forbid)\b", re.I)


def licence_and_terms_draft(question: str, linked: list[Entity], catalogue: Catalogue,
                            facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """A model's licence and, in the same answer, that licence's main terms. The model had
    said Kimi K2's display rule binds every derivative, leaving out its threshold."""
    rows = rows_of([e for e in linked if e.type in ("model", "family")])
    if not LICENCE_AND_TERMS.search(question) or not rows or len({r.licence for r in rows}) != 1:
        return None
    lic = catalogue.licence_of(rows[0])
    if lic is None:
        return None
    draft = model_draft(Intent("which_licence", False, False), rows, None, "")
    return licence_terms(lic, facts, draft, osi=False) if draft is not None else None
