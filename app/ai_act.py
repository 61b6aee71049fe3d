"""The EU AI Act's open-source provisions: whether a licence counts as free and open-source
in the Commission's reading, and the Act's treatment of open-source AI as a whole."""

from __future__ import annotations

import re

from app.draft import VERDICT_WORD, Draft, join, with_section
from app.entities import Catalogue, Entity, strip_parens
from app.intent import ASSUMES, YES_NO
from app.load import LicenceFact

# the EU AI Act's free and open-source licence test (Recital 102, the Commission's guidelines)
AI_ACT = re.compile(r"\b(ai act|eu act)\b|\beuropean commission\b.{0,80}\bopen.source\b", re.I)
AI_ACT_TEST = re.compile(r"\bfree and open.source\b|\bopen.source (exemptions?|exceptions?|"
                         r"carve.outs?|licen[cs]es?)\b|\bexempt\w*\b|\bqualif\w*\b|"
                         r"\bcount(s|ing|ed)? as\b", re.I)
# "which licence terms stop a licence from counting as free and open-source?"
AI_ACT_TERMS = re.compile(r"\b(which|what) (licen[cs]e )?(terms|conditions|clauses|restrictions|"
                          r"kinds? of licen[cs]es?)\b", re.I)
# a threshold past which the licensee needs the licensor's licence (not a duty to display a name)
NEEDS_LICENCE = re.compile(r"\b(request|get|obtain|need)\w* (a|an|the)? ?(\w+ )?licen[cs]e\b|"
                           r"\bauthori[sz]ation\b|\bterminate\b", re.I)
AI_ACT_SOURCES = {
    "disqualify": ("open-weight-models", "triggered by user-count thresholds, do not qualify"),
    "threshold": ("glossary", "such user thresholds do not count as free and open-source"),
    "safety": ("glossary", "narrow, proportionate safety restrictions"),
    "recital": ("eu-ai-act-open-source", "freely access, use, modify and redistribute"),
    "compatible": ("eu-ai-act-open-source", "identical or comparable distribution terms"),
    "conditions": ("eu-ai-act-open-source", "non-monetised, fully open conditions"),
    "weights": ("eu-ai-act-open-source", "including the weights"),
    "systemic": ("eu-ai-act-open-source", "Neither open-source exemption applies")}
# the question names a term the guidelines disqualify ("a licence with a user threshold")
DISQUALIFYING = re.compile(r"\bthresholds?\b|\bmonthly.active\b|\bmau\b|\buser (caps?|limits?)\b|"
                           r"\bnon.?commercial\b|\bresearch.only\b", re.I)


def ai_act_reading(facts: dict[str, LicenceFact]) -> tuple[str, LicenceFact | None]:
    """How a licence fares under the Commission's reading of the AI Act's free and open-source
    test: 'threshold' or 'non-commercial' (does not count), 'use policy' (not settled by the
    sources), 'open' (allows use, modification and redistribution), or 'unknown'."""
    threshold, commercial = facts.get("user_threshold"), facts.get("commercial_use")
    if threshold and threshold.value in ("yes", "conditional") and NEEDS_LICENCE.search(
            threshold.detail):
        return "threshold", threshold
    if commercial and commercial.value == "no":
        return "non-commercial", commercial
    policy = facts.get("use_policy")
    if policy and policy.value in ("yes", "conditional"):
        return "use policy", policy
    held = [facts.get(k) for k in ("commercial_use", "modification", "redistribution")]
    if all(f is not None and f.value in ("yes", "conditional") for f in held) and \
            commercial.value == "yes" and not (threshold and threshold.value in ("yes",
                                                                                 "conditional")):
        return "open", commercial
    return "unknown", None


# "How does the AI Act treat open-source models?": the Act's open-source provisions, whole
AI_ACT_OVERVIEW = re.compile(r"^(?=.*\bopen.(source|weights?)\b)(?=.*\b(treat\w*|handl\w*|"
                             r"appl(y|ies)|deal\w* with|say\w* about|regulat\w*|exempt\w*|"
                             r"rules? (for|on)|requir\w*|impos\w*|affect\w*|mean\w* for)\b)",
                             re.I)


# a part of the Act the page answers in its own section ('what counts as monetisation?')
AI_ACT_SPECIFIC = re.compile(r"\b(articles?|recitals?|monetis\w*|monetiz\w*|copyright|providers?|"
                             r"general.purpose|gpai|systemic|still|why|systems?|obligations?|"
                             r"duties|code of practice|dates?|when|fines?|guidelines?)\b", re.I)


def ai_act_overview(question: str) -> Draft:
    """The AI Act's two open-source provisions and their limits, from the article; 'Partly.'
    to 'are open-source models exempt?'. The model had said they carry no obligations."""
    page = "eu-ai-act-open-source"
    draft = Draft(fact="ai_act_overview")
    if YES_NO.match(question):
        draft.verdict = "partly"
        draft.say(VERDICT_WORD["partly"])
    draft.say("Article 2(12) takes AI systems released under free and open-source licences out "
              "of the Act, except when they are placed on the market or put into service as "
              "high-risk systems, as prohibited practices (Article 5) or under the Article 50 "
              "transparency duties.",
              (page, "does not apply to AI systems released under free and open-source"))
    draft.say("For a general-purpose AI model under such a licence, with its weights and "
              "information on its architecture and usage public, Articles 53(2) and 54(6) lift "
              "only the technical documentation duties (Article 53(1)(a) and (b)) and the need "
              "for an authorised representative in the EU.", (page, "removes points (a) and (b)"))
    draft.say("The copyright policy and the public summary of training content (points (c) and "
              "(d)) still apply.", (page, "two obligations in Article 53(1) remain"))
    draft.say("Neither exemption applies to a model with systemic risk, and monetised models do "
              "not qualify.", AI_ACT_SOURCES["systemic"],
              (page, "should not benefit from the free and open-source exceptions"))
    return draft.say("The Act does not use the OSI's definitions: Recital 102 describes a free "
                     "and open-source licence as one that lets users freely access, use, modify "
                     "and redistribute the model.", AI_ACT_SOURCES["recital"])


def ai_act_draft(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """'Does a licence with a user threshold, like Llama's, count as free and open-source under
    the AI Act?', 'Why did the Commission decide Llama's licence qualifies?': the licence facts
    read against the Commission's guidelines, cited to both; 'which terms stop a licence from
    counting?' gets the guidelines' own answer."""
    licences = [e for e in linked if e.type == "licence"]
    rows = [r for e in linked if e.type in ("model", "family") for r in e.rows]
    held = list({e.id: e for e in licences + [catalogue.licence_of(r) for r in rows]
                 if e is not None and e.key in catalogue.facts}.values())
    src = AI_ACT_SOURCES
    if not held:
        if licences or rows:
            return None
        if not AI_ACT_TERMS.search(question):  # the overview only for a question as broad
            return ai_act_overview(question) if AI_ACT_OVERVIEW.search(question) and not \
                AI_ACT_SPECIFIC.search(question) else None  # as the Act's whole treatment
        draft = Draft(fact="ai_act_terms")
        draft.say("In the European Commission's 2025 guidelines, licences limited to "
                  "non-commercial use, or triggered by user-count thresholds, do not count as "
                  "free and open-source under the AI Act.", src["disqualify"], src["threshold"])
        draft.say("The guidelines accept narrow, proportionate safety restrictions.",
                  src["safety"])
        return draft.say("Requiring credit to the original provider, or identical or comparable "
                         "distribution terms (share-alike), is compatible (Recital 102).",
                         src["compatible"])
    closed = [r for r in rows if r.access == "api"]
    unheld = sorted({r.licence_name for r in rows if r not in closed and (
        catalogue.licence_of(r) is None or catalogue.licence_of(r).key not in catalogue.facts)})
    readings = [(e, *ai_act_reading(catalogue.facts[e.key])) for e in held]
    kinds = {kind for _, kind, _ in readings} | ({"unknown"} if unheld else set()) | (
        {"closed"} if closed else set())
    draft = Draft(fact="ai_act")
    # what Faultline holds decides, what it does not hold is named: 'a licence with a user
    # threshold, like Llama's' (whatever else those licences carry); 'why did it decide X
    # qualifies?'
    if DISQUALIFYING.search(question):
        kinds -= {"unknown", "use policy"}
    elif ASSUMES.search(question) and readings:
        kinds -= {"unknown"}
    if kinds <= {"threshold", "non-commercial", "closed"}:
        draft.verdict = "no"
        draft.say(f"The premise is not right: in the European Commission's reading, "
                  f"{'this licence does' if len(readings) == 1 else 'these licences do'} not "
                  "count as free and open-source under the AI Act." if ASSUMES.search(question)
                  else VERDICT_WORD["no"])
    elif kinds == {"open"}:
        draft.verdict = "yes" if not rows else "conditional"  # a model must also be public
        draft.say(VERDICT_WORD[draft.verdict])  # and not monetised
    elif kinds & {"threshold", "non-commercial", "closed"} and kinds & {"open"}:
        draft.verdict = "depends"
        draft.say(VERDICT_WORD["depends"])
    else:
        draft.say("Faultline's sources do not settle this for every licence asked about.")
    if kinds & {"threshold", "non-commercial"}:
        draft.say("The Commission's 2025 guidelines say that licences limited to non-commercial "
                  "use, or triggered by user-count thresholds, do not qualify.",
                  src["disqualify"], src["threshold"])
    barred = [(e, kind, fact) for e, kind, fact in readings
              if kind in ("threshold", "non-commercial")]
    if len(barred) > 2:  # 'the Llama 2, 3.1, 3.2, 3.3 and 4 licences': one sentence, each cited
        for kind, phrase in (("threshold", "require{s} a separate licence above a user or "
                                           "revenue threshold"),
                             ("non-commercial", "{is} limited to non-commercial use")):
            these = [(e, f) for e, k, f in barred if k == kind]
            if these:
                one = len(these) == 1
                draft.say(f"The {join([e.name for e, _ in these])} "
                          + phrase.format(s="s" if one else "", **{"is": "is" if one else "are"})
                          + ".", *[(e.id, f.quote) for e, f in these])
    for e, kind, fact in readings[:5]:
        if kind in ("threshold", "non-commercial"):
            if len(barred) <= 2:
                draft.say(f"The {e.name} does not count: {with_section(fact)}",
                          (e.id, fact.quote))
        elif kind == "open":
            draft.say(f"The {e.name} lets anyone use, modify and redistribute, commercially too, "
                      "which is what Recital 102 describes; attribution and share-alike "
                      "conditions are compatible.", src["recital"], src["compatible"],
                      (e.id, fact.quote))
        elif kind == "use policy":
            draft.say(f"The {e.name} carries a use policy: {with_section(fact)} The guidelines "
                      "accept narrow, proportionate safety restrictions and the sources do not "
                      "say whether this is one.", (e.id, fact.quote), src["safety"])
        else:
            draft.say(f"The {e.name} has neither a non-commercial limit nor a user threshold "
                      "that requires another licence, but the sources do not settle it.",
                      (e.id, ""))
    if closed:
        draft.say(f"{join([strip_parens(r.name) for r in closed[:4]])} "
                  f"{'is' if len(closed) == 1 else 'are'} available only through an API: the "
                  "exemptions need the weights to be public.", src["weights"],
                  *[(f"model:{r.id}", "") for r in closed[:3]])
    if unheld:
        draft.say(f"Faultline holds no facts for the {join(unheld[:3])}.",
                  *[(f"model:{r.id}", "") for r in rows if r.licence_name in unheld][:3])
    if kinds & {"open"} and rows:
        draft.say("The exemptions also ask that the weights and information on the "
                  "architecture and usage are public and that the model is not monetised, and "
                  "neither applies to a general-purpose model with systemic risk.",
                  src["conditions"], src["systemic"])
    return draft
