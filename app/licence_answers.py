"""Answers from the structured licence facts (corpus/licence-facts.yaml): a clause asked of
one licence or several, what a licence requires, two licences compared, one section."""

from __future__ import annotations

import re

from app.draft import VERDICT_WORD, Draft, flip, join, users, with_section
from app.entities import Catalogue, Entity, norm, strip_parens
from app.intent import (
    BOUND,
    COMPARE_WORDS,
    NON_COMMERCIAL,
    OBLIGATION,
    RELEASE_MINE,
    USE_POLICY_FACTS,
    WHOLE_WORK,
    Intent,
    count_in,
)
from app.load import LicenceFact, ModelRow

STOP = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "use", "using",
        "model", "models", "is", "it", "be", "by", "as", "any", "other"}


def names_the_restriction(intent: Intent, fact: LicenceFact) -> bool:
    """Whether the question asks about the very use a conditional clause restricts: two
    content words in a row of the question stand in the clause's quote ('a medical-advice
    chatbot' and 'To provide medical advice and medical results interpretation')."""
    words = intent.words.split()
    quote = f" {norm(fact.quote)} "
    return any(a not in STOP and b not in STOP and f" {a} {b} " in quote
               for a, b in zip(words, words[1:], strict=False))


def derived_draft(intent: Intent, lic: Entity, facts: dict[str, LicenceFact]) -> Draft | None:
    """Asks no single fact records, answered from the facts that settle them: a sign-up step
    (a fact whose text names registration), what may be done with outputs (only where
    nothing restricts them), a source offer for shipped code (the copyleft and distribution
    facts that speak of source); None when the facts do not settle it."""
    said: tuple[str, LicenceFact] | None = None
    if intent.kind == "registration":
        fact = next((f for k, f in facts.items() if k in ("commercial_use", "redistribution",
                                                           "modification")
                     and re.search(r"\bregist", f.detail, re.I)), None)
        said = ("yes", fact) if fact else None
    elif intent.kind == "outputs_use":
        owned, trained, policy = (facts.get(k) for k in ("output_ownership",
                                                         "outputs_training", "use_policy"))
        if owned and trained and policy and (owned.value, trained.value, policy.value) == (
                "no", "yes", "no"):
            said = ("no" if intent.negative else "yes", owned)
    elif intent.kind == "source_offer":
        copyleft, passing = facts.get("share_alike"), facts.get("redistribution")
        sourced = [f for f in (passing, copyleft)
                   if f and re.search(r"\bsource\b", f.detail, re.I)]
        if sourced and (copyleft is None or copyleft.value != "no"):
            said = ("yes", sourced[0])
        elif copyleft and copyleft.value == "no":
            said = ("no", copyleft)
    if said is None:
        return None
    value, fact = said
    draft = Draft(fact=intent.kind)
    if intent.yes_no:
        draft.verdict = value
        draft.say(VERDICT_WORD[value])
    return draft.say(with_section(fact), (lic.id, fact.quote))


def licence_draft(intent: Intent, lic: Entity, facts: dict[str, LicenceFact]) -> Draft | None:
    if intent.kind in ("registration", "outputs_use", "source_offer"):
        return derived_draft(intent, lic, facts)
    kinds = ["patent_grant", "patent_termination"] if intent.kind == "patent" else [intent.kind]
    if intent.kind == "commercial_use" and intent.count:
        kinds = ["user_threshold", "commercial_use"]
    chosen = [(k, facts[k]) for k in kinds if k in facts and facts[k].value != "unknown"]
    if not chosen:
        return None
    draft = Draft(fact=chosen[0][0])
    key, fact = chosen[0]
    if key == "naming_rule" and "output" in intent.words and "output" not in fact.detail.lower():
        return None  # a rule for the model's own name says nothing of models trained on outputs
    if key == "outputs_training" and intent.yes_no and BOUND.search(intent.words):
        if not re.search(r"\bbound\b", fact.detail):
            return None
        draft.verdict = "yes"  # 'is a model distilled from its outputs still bound by it?'
        return draft.say("Yes.").say(with_section(fact), (lic.id, fact.quote))
    whole_work = key == "share_alike" and re.search(WHOLE_WORK, intent.words)
    file_level = bool(whole_work) and bool(re.match(r"file.level", fact.detail, re.I))
    if whole_work and fact.value not in ("yes", "no") and not file_level:
        return None  # a partial copyleft: the clause, not a verdict, says how far it reaches
    if intent.removal and intent.yes_no and fact.value not in ("yes", "no"):
        return None  # 'may I drop the credit?' where the text is silent or conditional on it
    if intent.yes_no:
        value = fact.value
        # "a cap?", "does it restrict use?" ask whether such a term exists: no flip
        negative = intent.negative and key not in ("user_threshold", "use_policy")
        if negative and value in ("yes", "no"):
            value = flip(value)
        # a silent text neither grants nor forbids; one silent on ending it has not settled
        # whether it can end (a bare licence's revocability is a question of law)
        value = {"silent": None if key == "termination" else "no"}.get(value, value)
        measured = threshold_asked(intent, fact) if key == "user_threshold" else None
        if measured is False:
            return None  # a revenue asked of a licence whose threshold counts something else
        if key == "user_threshold" and NON_COMMERCIAL.search(intent.words):
            if value not in ("yes", "conditional") or not re.search(r"\bcommercial users\b|"
                                                                   r"\bcommercially\b",
                                                                   fact.detail, re.I):
                return None  # a threshold not scoped to commercial use: the clause decides
            draft.verdict = "no"  # 'if I only use it for non-commercial research'
            draft.say("No: the threshold applies to commercial use only.")
        elif measured:
            duty = fact.threshold is not None and fact.threshold.above == "conditions"
            draft.verdict, lead = crossing(intent, *measured, duty=duty)
            draft.say(lead)
        else:
            draft.verdict = value
            lead = ("Not expressly." if fact.value == "silent" and not negative
                    else VERDICT_WORD.get(value, ""))
            if key == "outputs_training" and fact.value == "no" and re.search(
                    r"\bother training uses\b.{0,30}\bnot addressed\b", fact.detail) and not \
                    re.search(r"\b(compet\w*|rival)\b", intent.words):
                # OpenAI's terms ban only models that compete with it: other training is open
                draft.verdict, lead = None, "It depends on the model you build."
            elif key == "fee" and fact.value == "silent" and negative:
                draft.verdict, lead = None, "Not stated."  # 'for free?': a text silent on
                # fees says neither
            elif key == "outputs_training" and fact.value == "silent" and not negative:
                # 'can I train on its outputs?': a text that never mentions outputs neither
                # grants nor forbids it, so neither 'yes' nor 'not expressly' is its answer
                draft.verdict, lead = None, "The licence sets no rule either way."
            elif file_level and intent.yes_no:  # "does the whole app have to be under the MPL?"
                draft.verdict, lead = "no", "No: its copyleft is file-level."
            elif key == "share_alike" and value == "conditional" and NOT_COPYLEFT.match(
                    fact.detail):  # "is the Llama licence copyleft?": no, though terms pass on
                draft.verdict = "no"
                lead = "No: it is not a copyleft licence, but some terms pass on to what you share."
            elif key == "share_alike" and value == "conditional" and re.match(
                    r"file.level copyleft", fact.detail, re.I) and not OBLIGATION.search(
                    intent.words):  # "is the MPL copyleft?"
                draft.verdict, lead = "yes", "Yes: a file-level copyleft."
            elif key == "share_alike" and value == "yes" and OBLIGATION.search(
                    intent.words) and not SHARING.search(RELEASE_MINE.sub(" ", intent.words)):
                # "must I release my changes under the GPL?": only what you pass on
                draft.verdict = "conditional"
                lead = ("Only if you distribute a modified version" + (
                    ", or let users reach one over a network" if "network" in fact.detail
                    else "") + ".")
            elif value == "conditional" and key in USE_POLICY_FACTS and names_the_restriction(
                    intent, fact):
                draft.verdict, lead = "no", "No: the use you describe is one the text restricts."
            elif key == "eu_use" and value == "conditional" and (case := eu_case(intent, fact)):
                draft.verdict, lead = case, VERDICT_WORD[case]
            elif key == "network_source" and value == "conditional" and "modif" in fact.detail:
                draft.verdict, lead = modified_or_not(intent.words)
            elif value == "conditional":
                lead = ("Partly: some of these uses are restricted." if key in USE_POLICY_FACTS
                        else VERDICT_WORD[value] if key in QUALIFIED
                        else "Yes, but only under a condition.")
            if lead:
                draft.say(lead)
    for _, fact in chosen:
        draft.say(with_section(fact), (lic.id, fact.quote))
    return draft


END_USERS = re.compile(r"\b(customers|end users|my users|our users|clients|people using "
                       r"(my|our))\b")


# 'do I need a licence above 100 million users?': whether a licence is needed, not allowed
NEEDS = re.compile(r"\b(need|require|have to|must|request|ask for)\w*\b.{0,40}\b(licen[cs]e|"
                   r"permission|agreement)\b", re.I)
ABOVE = re.compile(r"\b(above|over|more than|exceed\w*|beyond|past)\b", re.I)


def threshold_asked(intent: Intent, fact: LicenceFact) -> tuple[float, str] | None | bool:
    """The threshold a count in the question is measured against and what it counts ('users',
    'annual revenue'); None when the question gives no count; False when the licence's
    threshold counts something else (a monthly revenue against an annual one)."""
    if not intent.count:
        return None
    limits = fact.threshold
    if intent.revenue:
        monthly = "month" in intent.words
        limit = limits and (limits.monthly_revenue_usd if monthly else limits.annual_revenue_usd)
        return (limit, "monthly revenue" if monthly else "annual revenue") if limit else False
    limit = limits.monthly_active_users if limits else None
    if limit is None and re.search(r"\busers\b", fact.detail):
        limit = count_in(fact.detail)
    return (limit, "users") if limit else (False if limits else None)


def crossing(intent: Intent, limit: float, unit: str, duty: bool = False) -> tuple[str, str]:
    """The verdict and its lead for a count measured against a licence's threshold: above it
    a separate licence (or, where crossing it brings a `duty` like Kimi K2's, that duty),
    below it the licence as it stands."""
    amount = (lambda n: f"US${users(n)}") if unit != "users" else users  # noqa: E731
    count = intent.count or 0.0
    counted = "users" if unit == "users" else f"in {unit}"
    above = count > limit or count == limit and bool(ABOVE.search(intent.words))
    said = (f"{amount(count)} {counted} is {'above' if above else 'below'} the "
            f"{amount(limit)} threshold" if count != limit
            else f"the threshold is {amount(limit)} {counted}")
    needs = bool(NEEDS.search(intent.words))
    if above and duty:  # Kimi K2's: a duty to display its name, no permission
        if re.search(r"\bwithout\b", intent.words):  # '... without showing its name?'
            return "no", f"No: {said}, which brings the duty below."
        return ("no", f"No separate licence: {said}, which brings the duty below.") if needs \
            else ("conditional", f"Yes, with a condition: {said}, which brings the duty "
                                 "below; no separate licence is needed.")
    if above and needs:
        return "yes", f"Yes: {said}, and above it you need a separate licence."
    if above and intent.without_permission:
        return "no", f"No: {said}, so you need a separate licence first."
    if above:
        return "conditional", f"Not without a separate licence: {said}."
    return ("no", f"No: {said}.") if needs else ("yes", f"Yes: {said}.")


def eu_case(intent: Intent, fact: LicenceFact) -> str | None:
    """An EU clause that names its own cases (Llama 4's: multimodal models, end users of
    products exempt): the verdict for the case the question describes, else None."""
    if END_USERS.search(intent.words) and "end users" in fact.detail:
        allowed = "yes"  # 'my customers in Germany': end users are not restricted
    elif "multimodal" in intent.words and "multimodal" in fact.detail:
        allowed = "no"  # 'a startup based in France ... the multimodal models'
    else:
        return None
    return flip(allowed) if intent.negative else allowed


# facts whose "conditional" is not a "yes": a mark, an output claim, a source offer
QUALIFIED = {"trademarks", "output_ownership", "network_source", "fee"}
# a share-alike fact that is a condition, not a copyleft ('There is no copyleft clause, but...')
NOT_COPYLEFT = re.compile(r"there is no copyleft clause|.{0,60}\bmay (set your own|carry "
                          r"different|be released under different|use different)( licen[cs]e)? "
                          r"terms|you may "
                          r"share the model or modifications under any licen[cs]e", re.I)
# the question already says the work is passed on ('if I share the fine-tune, ...')
SHARING = re.compile(r"\b(share[sd]?|sharing|distribut\w*|convey\w*|ship\w*|sell\w*|give|pass\w* "
                     r"(it|them) on)\b", re.I)
UNMODIFIED = re.compile(r"\bunmodified\b|\bwithout (any )?(changes|modifications|modifying)\b|"
                        r"\bas is\b|\b(not|never|haven t|didn t|don t|won t) (modif|chang)\w*")


def modified_or_not(words: str) -> tuple[str, str]:
    """A source offer owed only for a modified version (AGPL-3.0 section 13): the verdict and
    lead for the question's case, or 'only under a condition' when it does not say."""
    if UNMODIFIED.search(words):
        return "no", "No: the duty applies only to a modified version."
    if re.search(r"\bmodif\w*|\b(my|our) (changes|fork)\b|\bchanged\b", words):
        return "yes", "Yes: the duty applies to a modified version."
    return "conditional", VERDICT_WORD["conditional"]


def deciding_draft(intent: Intent, lic: Entity, catalogue: Catalogue,
                   facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """The licence's answer; for a use its text leaves to an incorporated use policy that
    Faultline holds (Llama 4's, Gemma's), the policy's answer, saying which version it is."""
    own = facts.get(lic.key)
    if own is None:
        return None
    policy = catalogue.get(f"licence:{lic.licence.policy}") if lic.licence and \
        lic.licence.policy else None
    if (intent.kind in USE_POLICY_FACTS and policy is not None and policy.key in facts
            and own.get(intent.kind) is not None and own[intent.kind].value == "unknown"):
        draft = licence_draft(intent, policy, facts[policy.key])
        if draft is not None:
            draft.say(f"The {lic.name} incorporates the {policy.name}; this is the version "
                      "Faultline holds, and the licence points to the current one.",
                      (lic.id, ""))
            return draft
        return unsettled(intent, [(lic, own), (policy, facts[policy.key])])
    return licence_draft(intent, lic, own) or unsettled(intent, [(lic, own)])


def each_licence_draft(intent: Intent, licences: list[Entity], catalogue: Catalogue,
                       facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """One name that means several licences ('OpenRAIL-M': BigScience's, BigCode's and
    CreativeML's): each licence's answer, named; a verdict only where they all agree."""
    answers = [(lic, d) for lic in licences
               if (d := deciding_draft(intent, lic, catalogue, facts)) is not None]
    if len(answers) < 2:
        return answers[0][1] if answers else None
    verdicts = {d.verdict for _, d in answers}
    verdict = verdicts.pop() if len(verdicts) == 1 else None
    draft = Draft(verdict=verdict, fact=answers[0][1].fact)
    if verdict in VERDICT_WORD and intent.yes_no:
        draft.say(VERDICT_WORD[verdict])
    items = alike([(lic, " ".join(t for t, _ in d.sentences if t not in VERDICT_WORD.values()),
                     [c for _, cites in d.sentences for c in cites]) for lic, d in answers])
    draft.say(f"That name covers {len(answers)} licences:" if len(items) > 1 else
              f"That name covers {len(answers)} licences, and they say the same:")
    draft.sentences += items
    return draft


def alike(said: list[tuple[Entity, str, list[tuple[str, str]]]]
          ) -> list[tuple[str, list[tuple[str, str]]]]:
    """(licence, what it says, cites) -> one list item per wording, naming every licence that
    says it ('- The Llama 3.1 ..., the Llama 3.2 ...: ...'), with all their cites."""
    groups: dict[str, list[tuple[Entity, list[tuple[str, str]]]]] = {}
    for lic, text, cites in said:
        groups.setdefault(text, []).append((lic, cites))
    return [(f"- T{join([f'the {lic.name}' for lic, _ in group])[1:]}: {text}",
             [c for _, cites in group for c in cites]) for text, group in groups.items()]


def unsettled(intent: Intent, held: list[tuple[Entity, dict[str, LicenceFact]]]
              ) -> Draft | None:
    """A fact the checked texts leave open ('Does the Gemma licence allow military use?': its
    terms defer to a policy that never names it): no verdict, and why, from each text; None
    when no text has the fact."""
    unknown = [(e, f[intent.kind], f.get("use_policy")) for e, f in held
               if intent.kind in f and f[intent.kind].value == "unknown"]
    if not unknown:
        return None
    draft = Draft(fact=intent.kind)
    draft.say("Faultline's checked licence facts do not settle this, so it gives no yes or no.")
    for e, fact, policy in unknown:  # cited where the text hands the question on (its policy)
        pointer = next((f.quote for f in (fact, policy) if f and f.quote), "")
        draft.say(f"The {e.name}: {fact.detail}", (e.id, pointer))
    return draft


# what a comparison of two whole licences goes through, in this order
COMPARED = [("share_alike", "copyleft (share-alike)"), ("commercial_use", "commercial use allowed"),
            ("user_threshold", "a user or revenue threshold"), ("use_policy", "use restrictions"),
            ("patent_grant", "a patent grant"), ("attribution", "attribution and notices required"),
            ("outputs_training", "training other models on outputs allowed"),
            ("naming_rule", "a naming or labelling rule for what you build")]
# compared only where one text sets the duty (AGPL's, not GPL's): of every pair, it is noise
COMPARED_IF_DIFFERENT = [("network_source", "source for users over a network")]
VALUE_WORD = {"yes": "yes", "no": "no", "conditional": "with conditions",
              "silent": "not addressed"}
LICENCE_WORD = re.compile(r"\blicen[cs](es?|ed|ing)?\b|\bterms\b|\bagreements?\b", re.I)


def licence_sides(question: str, groups: list[list[Entity]], catalogue: Catalogue
                  ) -> list[tuple[Entity, list[ModelRow], bool]] | None:
    """The two licences a comparison is about, each with the models named for it: named
    licences, or the one licence of each model named ('the Llama 2 and Llama 3 licences'),
    or of the one row a name means exactly when its versions differ ('Qwen2.5', flagged
    True: the answer names the other versions)."""
    sides = []
    for group in groups:
        if all(e.type == "licence" for e in group):
            sides.append((group[0], [], False))
            continue
        if not LICENCE_WORD.search(question):
            return None
        rows = [r for e in group for r in e.rows if r.access != "api"]
        named = [catalogue.get(catalogue.licence_names[f"{alias} license"]) for e in group
                 for alias in e.aliases if f"{alias} license" in catalogue.licence_names]
        if named:  # 'the Qwen and Llama 3.1 licences': Qwen's own licence is called that
            sides.append((named[0], [r for r in rows if r.licence == named[0].key], False))
            continue
        narrowed = len({r.licence_name for r in rows}) != 1
        if narrowed:
            # 'Qwen2.5' means Qwen2.5 (0.5B-32B) and, under other licences, Qwen2.5-72B and
            # -3B: the row named exactly, where one is; the answer names the others
            asked = f" {norm(question)} "
            rows = [r for r in rows if f" {norm(strip_parens(r.name))} " in asked]
            if len(rows) != 1:
                return None
        sides.append((catalogue.licence_of(rows[0]), rows, narrowed))
    return sides if len(sides) == 2 else None


def other_versions(groups: list[list[Entity]],
                   sides: list[tuple[Entity, list[ModelRow], bool]]
                   ) -> list[tuple[str, list[tuple[str, str]]]]:
    """For a name whose versions are under different licences, the sentence naming the
    versions the comparison leaves out and their licences."""
    out = []
    for group, (_, kept, narrowed) in zip(groups, sides, strict=True):
        if not narrowed:
            continue
        left = [r for e in group for r in e.rows if r.access != "api"
                and r.licence_name != kept[0].licence_name]
        if left:
            said = "; ".join(f"{strip_parens(r.name)} is under the {r.licence_name}"
                             for r in left[:4])
            out.append((f"{kept[0].name} is released under the "
                        f"{kept[0].licence_name}, compared here; not every version under that "
                        f"name is: {said}.", [(f"model:{r.id}", "") for r in kept[:1] + left[:4]]))
    return out


def licences_draft(question: str, groups: list[list[Entity]], catalogue: Catalogue,
                   facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """'What is the difference between GPL and Apache 2.0?': OSI approval, then each fact
    users weigh where the two texts differ, each side in its own words, then where they
    agree; for a licence Faultline holds no facts for, each side's recorded restrictions.
    (The model had said the GPL forbids commercial use and is not open source.)"""
    compared = COMPARE_WORDS.search(question) or re.search(  # 'better licensed than'
        r"\b(better|worse|more|less|freer)\b.{0,30}\bthan\b", question, re.I)
    sides = licence_sides(question, groups, catalogue) if compared and len(groups) == 2 \
        else None
    if sides is None:
        return None
    (a, rows_a, _), (b, rows_b, _) = sides
    if a is not None and b is not None and a.id == b.id:
        return None  # 'OLMo 2 and Mistral 7B': one licence, nothing to compare
    fa, fb = (facts.get(e.key) if e else None for e in (a, b))
    draft = Draft(fact="comparison")
    if not (fa and fb and a.licence and b.licence):  # the table's restrictions, each side
        if not (rows_a and rows_b):
            return None
        draft.say("Faultline holds checked clauses for only one of these licences, so this is "
                  "what the models table records for each:")
        for rows in (rows_a, rows_b):
            row = rows[0]
            draft.say(f"- {strip_parens(row.name)} ({row.licence_name}): {row.restrictions}",
                      (f"model:{row.id}", ""))
        draft.sentences[:0] = other_versions(groups, sides)
        return draft
    osi = {True: "OSI-approved", False: "not OSI-approved"}
    oa, ob = a.licence.osi_approved, b.licence.osi_approved
    lead = (f"Both the {a.name} and the {b.name} are OSI-approved." if oa and ob else
            f"Neither the {a.name} nor the {b.name} is OSI-approved." if oa == ob else
            f"The {a.name} is {osi[oa]}; the {b.name} is {osi[ob]}.")
    draft.say(f"{lead} Where their texts differ:", (a.id, ""), (b.id, ""))
    agreed = []
    for kind, label in COMPARED + COMPARED_IF_DIFFERENT:
        x, y = fa.get(kind), fb.get(kind)
        if x is None or y is None or x.value == "unknown" or y.value == "unknown":
            continue
        if x.value == y.value or (kind, label) not in COMPARED and not (
                {x.value, y.value} & {"yes", "conditional"}):  # 'no' and 'silent': no duty
            if (kind, label) in COMPARED:
                agreed.append(f"{label} ({VALUE_WORD.get(x.value, x.value)})")
            continue
        draft.say(f"- {label[0].upper()}{label[1:]}: the {a.name}: {with_section(x)} "
                  f"The {b.name}: {with_section(y)}", (a.id, x.quote), (b.id, y.quote))
    if len(draft.sentences) == 1:  # no term differs: say so, not 'where they differ:'
        draft.sentences[0] = (f"{lead} On the terms Faultline compares, their texts agree.",
                              draft.sentences[0][1])
    if agreed:
        draft.say(f"Both texts say the same on {join(agreed)}.", (a.id, ""), (b.id, ""))
    draft.sentences[:0] = other_versions(groups, sides)
    return draft


# "Which licence requires 'Built with Llama'?": a wording asked about, quoted or a label
WORDING = re.compile(r"[\"“‘]([^\"”’]{4,60})[\"”’]|\b((?:built|improved) (?:with|using) \w+)\b",
                     re.I)
WHICH_LICENCES = re.compile(r"\bwhich (licen[cs]es?|terms|agreements?)\b|\bwhat licen[cs]es?\b|"
                            r"\bwhat (does|do|is) .{0,40}\b(mean|means|refer to|about)\b|"
                            r"\bwhere does .{0,40}\bcome from\b|"
                            # 'What is the "Built with Llama" requirement?'
                            r"\bwhat is the\b.{0,40}\b(requirement|rule|clause|obligation)\b",
                            re.I)
PHRASE_FACTS = ("naming_rule", "attribution")


def plain_quotes(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[“”]", '"', text)).strip().casefold()


def wording_draft(question: str, catalogue: Catalogue) -> Draft | None:
    """'Which licences require "Built with Llama"?': every licence whose checked naming or
    attribution fact requires that very wording, each cited to its clause."""
    asked, which = WORDING.search(question), WHICH_LICENCES.search(question)
    if asked is None or which is None:
        return None
    wording = plain_quotes(asked[1] or asked[2])
    hits = []
    for key, held in catalogue.facts.items():
        fact = next((held[k] for k in PHRASE_FACTS if k in held and held[k].value in (
            "yes", "conditional") and wording in plain_quotes(held[k].detail)), None)
        lic = catalogue.get(f"licence:{key}")
        if fact is not None and lic is not None:
            hits.append((lic, fact))
    if not hits:
        return None
    draft = Draft(fact="wording")
    draft.say(f"{'These licences require' if len(hits) > 1 else 'This licence requires'} "
              f"“{asked[1] or asked[2]}”:")
    # the Llama 3.1, 3.2, 3.3 and 4 licences word it the same
    draft.sentences += alike([(lic, with_section(fact), [(lic.id, fact.quote)])
                              for lic, fact in hits])
    return draft
# "What does OpenMDW cover?", "Tell me about the Gemma licence": one licence, nothing in
# particular asked
LICENCE_ABOUT = re.compile(r"^\W*(tell me (more )?about|what( is| are|'s|’s)|describe|summari[sz]e|"
                           r"explain|give me an overview of|what do you know about|what (does|do) "
                           r".{1,60}\b(cover|say|do|allow|permit))\b", re.I)


def licence_profile_draft(question: str, linked: list[Entity],
                          facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """A licence asked about as a whole: whether it is OSI-approved, then the terms users
    weigh, each in its own words with its clause. The model had said OpenMDW 'covers machine
    learning models, as stated in the first'."""
    licences = [e for e in linked if e.type == "licence"]
    if not LICENCE_ABOUT.search(question) or len(licences) != 1 or len(linked) != 1 or \
            SECTION_ASKED.search(question):  # 'what does section 99 say?' asks one section
        return None
    return licence_terms(licences[0], facts, Draft(fact="licence_profile"))


def licence_terms(lic: Entity, facts: dict[str, dict[str, LicenceFact]], draft: Draft,
                  osi: bool = True) -> Draft | None:
    """Whether a licence is OSI-approved (unless the draft said so), then the terms users
    weigh, each in its own words with its clause; None when Faultline holds no facts for it."""
    held = facts.get(lic.key)
    if not held or lic.licence is None:
        return None
    status = (f"The {lic.name} is {'an' if lic.licence.osi_approved else 'not an'} "
              "OSI-approved licence. ") if osi else ""
    draft.say(f"{status}Its main terms:", (lic.id, ""))
    for kind, label in COMPARED:
        fact = held.get(kind)
        if fact is not None and fact.value not in ("unknown", "silent"):
            draft.say(f"- {label[0].upper()}{label[1:]}: {with_section(fact)}",
                      (lic.id, fact.quote))
    return draft


# "What conditions does the MIT License put on me?", "What does the Apache 2.0 licence require?"
REQUIREMENTS = re.compile(r"\bwhat (are |were )?(the )?(main |key )?(conditions|obligations|"
                          r"requirements|duties)\b|\bwhat (does|do) "
                          r"(the |an? )?[\w .'-]{0,60}\b(require|oblige)\b|\bwhat (do|must) i "
                          r"(have to |need to )?do\b|\bwhat can(not|'t|’t| not) (i|we|you) do\b|"
                          r"\bwhat (are|is) (the )?(main |key )?restrictions\b|"
                          r"\bwhat restrictions\b", re.I)
# the facts that state a condition, and the values that mean it applies
DUTIES: dict[str, set[str]] = {
    "attribution": {"yes", "conditional"}, "share_alike": {"yes", "conditional"},
    "naming_rule": {"yes", "conditional"}, "user_threshold": {"yes", "conditional"},
    "use_policy": {"yes", "conditional"}, "outputs_training": {"no", "conditional"},
    "commercial_use": {"no"}, "patent_termination": {"yes"}}
NONE_OF = {"share_alike": "no share-alike (copyleft) term", "use_policy": "no use restrictions",
           "user_threshold": "no user or revenue threshold", "naming_rule": "no naming rule"}


def requirements_draft(question: str, linked: list[Entity], catalogue: Catalogue,
                       facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """Every condition a licence's facts record, each with its clause, then the conditions
    it does not have; for one licence (named, or the one licence of the models named)."""
    if not REQUIREMENTS.search(question) or count_in(question):
        return None
    lic = the_licence(linked, catalogue)
    if lic is None or lic.key not in facts:
        return None
    held = facts[lic.key]
    duties = [(k, held[k]) for k in DUTIES if k in held and held[k].value in DUTIES[k]]
    if not duties:
        return None
    draft = Draft(fact="requirements")
    draft.say(f"The {lic.name} sets these conditions:")
    for _, fact in duties:
        draft.say(f"- {with_section(fact)}", (lic.id, fact.quote))
    absent = [NONE_OF[k] for k in NONE_OF if k in held and held[k].value == "no"]
    if absent:
        draft.say(f"It has {join(absent)}.", *[(lic.id, held[k].quote) for k in NONE_OF
                                               if k in held and held[k].value == "no"][:2])
    return draft


# "What does section 2 of the Llama 2 licence say?"
SECTION_ASKED = re.compile(r"\b(?:section|§)\s*(\d+(?:\.\w+|\(\w+\))*)", re.I)
SAYS = re.compile(r"\bwhat (does|do|is in|'s in)\b|\bsummar\w*|\bexplain\b|\bsays?\b|"
                  r"\bcovers?\b|\babout\b", re.I)


def the_licence(linked: list[Entity], catalogue: Catalogue) -> Entity | None:
    """The one licence a question is about: the licence it names, or the one licence of the
    models it names; None when that is not one licence."""
    rows = [r for e in linked if e.type in ("model", "family") for r in e.rows]
    named = [e for e in linked if e.type == "licence"] + [catalogue.licence_of(r) for r in rows]
    if len({e.id if e else None for e in named}) != 1:
        return None
    return named[0]


def section_draft(question: str, linked: list[Entity], catalogue: Catalogue,
                  facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """What the facts record from one numbered section of one licence, each with its clause."""
    asked = SECTION_ASKED.search(question)
    lic = the_licence(linked, catalogue)
    if not asked or not SAYS.search(question) or lic is None or lic.key not in facts:
        return None
    number = asked.group(1).rstrip(".")
    # the fee fact is read across the grant and the threshold: not what one section says
    hits = [f for k, f in facts[lic.key].items() if f.value != "unknown" and k != "fee"
            and re.match(rf"section {re.escape(number)}(?![\d])", f.section, re.I)]
    if not hits:
        return None
    draft = Draft(fact="section")
    draft.say(f"What Faultline's facts record from section {number} of the {lic.name}:")
    for fact in {f.detail: f for f in hits}.values():
        draft.say(with_section(fact), (lic.id, fact.quote))
    return draft
