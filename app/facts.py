"""Fact answers: when a question asks something the tables hold (which licence, downloadable
weights, training data, OSI status, a threshold, attribution, patents, a yes/no about one of
these), the verdict and the fact come from corpus/models.yaml and corpus/licence-facts.yaml, and
the citations point at the clause and the row. No model call: exact, and in milliseconds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.entities import Catalogue, Entity, norm, strip_parens
from app.load import COMPONENT_NAMES, FACT_KEYS, LicenceFact, ModelRow

# a yes/no question: an auxiliary verb opens it, or opens a clause after its context
# ("I'm shipping an app. Do I have to...", "If I fine-tune it, are there any rules...")
YES_NO = re.compile(r"(?:^|[.,;:?!]\s*)(is|are|does|do|can|could|may|might|must|will|would|"
                    r"should|am|was|were|has|have|did|shall)\b(?!\s+(?:you|we) (?:know|think))",
                    re.I)
# a question that asks whether something is *forbidden* gets the inverse of "is it allowed"
NEGATIVE = re.compile(r"\b(forbid\w*|prohibit\w*|ban(s|ned)?|bar(s|red)?|prevent\w*|restrict\w*|"
                      r"disallow\w*|not allowed|stop me|illegal|cap|caps|limit|limits)\b|"
                      r"\b(keep|retain|still have) (my|our|the) (rights|licen[cs]e)", re.I)
# conditions a table fact does not weigh ("only as a web service", "for research only"):
# such questions go to the written answer rather than get a verdict that ignores them
NUANCE = re.compile(r"\b(only|just|unless|except|web service|over a network|internally|saas|"
                    r"software.as.a.service|research|non-?commercial|oblige\w*|obligat\w*|"
                    r"mark|describe|state)\b", re.I)
NON_COMMERCIAL = re.compile(r"\bnon[- ]?commercial\b", re.I)
BOUND = re.compile(r"\b(still )?(bound|covered|governed) by\b|\bsubject to (the|its|their)\b")
REQUIRE = re.compile(r"\brequire[sd]?\b", re.I)
# what a licence can require of you: a question that asks what it requires asks one of these
DUTY_KINDS = {"naming_rule", "attribution", "change_notices", "network_source", "share_alike",
              "redistribution", "trademarks"}
OBLIGATION = re.compile(r"\b(must|have to|has to|need to|needs to|required|requires?)\b", re.I)
# "may I remove the NOTICE file?", "can I ship it without the credit?": a duty asked the
# other way round
REMOVAL = re.compile(r"\b(remov\w*|strip\w*|delet\w*|omit\w*|drop(s|ped|ping)?|leave out|"
                     r"leaving out|get rid of|take out|taking out|hid(e|ing))\b|"
                     r"\bwithout\b[^?.]{0,40}\b(credit\w*|attribut\w*|notices?|acknowledg\w*|"
                     r"licen[cs]e texts?|label\w*)\b", re.I)
# "do I have to release my weights?": whether changes must be shared, a copyleft question
RELEASE_MINE = re.compile(r"\b(release|publish|open.?sourc|disclose|make public)\w* (my|our|the) "
                          r"(own )?(fine.?tuned |modified |changed |derived )?(weights|model|"
                          r"changes|modifications|code|source( code)?|version)\b", re.I)
WITHOUT_PERMISSION = re.compile(r"\bwithout (\w+'s |their |its |the licensor's )?"
                                r"(permission|approval|a (separate )?licen[cs]e)", re.I)

# "does the whole app have to be under the MPL?": how far a copyleft reaches, not whether
WHOLE_WORK = (r"\b(whole|entire) (app|application|program|product|project|code ?base|work|"
              r"software)\b.{0,40}\bunder\b")
# a service others reach over a network (a lookahead: the source asked about may come first)
NETWORK = (r"^(?=.*\b(web service|web app|network|saas|software as a service|hosted|hosting|host "
           r"it|as an? (web |hosted |cloud |public )?(service|api)|server|remote(ly)?|online)\b)")
# "is it only available through an API?": the weights, asked the other way round
API_ONLY = (r"\bapi only\b|\bonly (available )?(through|via|in|as) .{0,40}\b(apis?|apps?|"
            r"services?)\b")
# "Is Falcon 180B under Apache 2.0?": a licence named after 'under'
UNDER_A_LICENCE = (r"\b(released |licensed |available |published )?under (the )?(apache|mit|"
                   r"bsd|gpl|agpl|lgpl|mpl|cc by|creative commons|open ?rail|openmdw)\b|"
                   r"\b(apache|mit|bsd|gpl|agpl|lgpl|mpl|cc by[\w -]*?|openmdw)( ?[\d.]+)?"
                   r"( license)? licensed\b")  # "MIT-licensed"
# the words of a question that are the very subject of a fact, not a nuance it ignores
SERVICE_WORDS = r"\b(only|just|web service|over a network|saas|software.as.a.service|oblige\w*)\b"
SUBJECT = {"change_notices": r"\b(oblige\w*|obligat\w*|mark|describe|state)\b",
           "hosted_service": SERVICE_WORDS, "network_source": SERVICE_WORDS,
           "weights": r"\bonly (available )?(through|via|in|as)\b|\bapi.only\b",
           "source_offer": r"\b(only|just)\b",  # 'if I ship only a binary'
           "military_use": r"\bresearch\b", "medical_use": r"\bresearch\b"}  # 'weapons research
# intent -> pattern over the normalised question (licence spelt "license", see entities.norm)
INTENTS: list[tuple[str, str]] = [
    ("released", r"^\s*when (was|were|did|is)\b|\brelease date\b|\bwhen .* (come out|released)"),
    ("osi_licence", r"\bosi approved\b|\bapproved by (the )?osi\b|\bosi license"),
    # uses a licence or its use policy may forbid (the checker's use facts)
    ("military_use", r"\bmilitary\b|\bwarfare\b|\bweapons?\b|\bdefen[cs]e (use|purposes|"
                     r"applications|industry)\b"),
    ("medical_use", r"\bmedical\b|\bhealth ?care\b|\bdiagnos\w*|\bclinical\b"),
    ("eu_use", r"\b(in|from|based in|domiciled in|inside) (the )?(eu|european union|europe)\b|"
               r"\beu (based|users|companies|customers|residents)\b|\beuropean (users|"
               r"companies|customers)\b"),
    # "must I mark what I changed?", before the notices of attribution
    ("change_notices", r"\b(mark|state|describe|document|note|list|say|flag|indicate|record|log)"
                       r"\w* (the |my |our |any |all |what |which |that )?(changes|modifications|"
                       r"(i|we) (changed|modified|made)|changed|modified)\b|\bchange ?(log|"
                       r"notices?)\b|\bmodification notices?\b|\bnotices? (of|about|stating) "
                       r"(my |our |the |any )?(changes|modifications)\b"),
    # "does Google claim rights in what my app generates?"
    ("output_ownership", r"\bclaims? (any |no )?(rights?|ownership)\b|\bwho owns\b|\b(do|will|"
                         r"would) (i|we) own\b|\bown(s|ership)? (of )?(the |my |our )?(outputs?|"
                         r"generated|generations|images|text|content|results)\b|\b(rights|"
                         r"ownership) (in|to|of|over) (the |my |our )?(outputs?|generated|"
                         r"generations|images|text|content)\b"),
    ("outputs_training", r"\boutputs?\b.*\b(train|improve|fine tun|distil|develop|build)|"
                         r"\bdistil\w*\b|"
                         r"\b(train|improve|distil)\w*\b.*\b(with|on|using|from) (its|the|"
                         r"their|llama|[a-z0-9. ]{0,20}) outputs?|synthetic data|"
                         # 'training other models with Qwen', 'to build other models'
                         r"\b(train|build|improv|develop|creat)\w* (other|another|different|"
                         r"third[- ]party|competing|rival) (ai )?(models?|llms?)\b|"
                         # 'how does the Qwen licence treat outputs?'
                         r"\b(treat|handle|deal with|say about)\w*\b.{0,20}\boutputs?\b"),
    # "does it restrict what I can do with the outputs?": answered only where nothing does
    ("outputs_use", r"\b(restrict\w*|limit\w*|control\w*|rules?|conditions?)\b.{0,40}\boutputs?\b|"
                    r"\bwhat (can|may) (i|we) do with (the |its |my )?outputs?\b"),
    # "must I register before using it commercially?"
    ("registration", r"\bsign(ing)? ?up\b|\bregist(er|ers|ered|ering|ration)\b"),
    ("trademarks", r"\btrademarks?\b|\blogos?\b|\bbrand (name|guidelines)\b|\bendors\w*|"
                   r"\bnames?\b.{0,60}\b(promot|advertis|market)\w*"),
    ("naming_rule", r"\bname (my|the|our|a|it)\b|\bnaming\b|\bcall (my|our|the|it)\b|"
                    r"\bnames? of (my|our|the|a|any|its|their)\b|\b(in|into|to) (its|the|my|"
                    r"our|their|a) (model )?names?\b|"
                    r"\bmodel name|\bprefix\b|\bbuilt (with|using)\b|\bpublic statements?\b|"
                    r"\b(talk|speak|write|announce)\w* publicly\b|\bwhat (statement|wording)\b"),
    ("user_threshold", r"\bmonthly active\b|\bmau\b|\busers?\b.*\b(limit|threshold|cap)s?\b|"
                       r"\b(cap|limit|threshold|ceiling)\w*\b.*\b(revenue|users?|customers|"
                       r"company size|how big)|\bsize of (your|my|our|the|a) (company|"
                       r"business)\b|\b(revenue|customers)\b.{0,20}\b(limit|cap|"
                       r"threshold|ceiling)s?\b|\bhow many (users|customers)\b|"
                       r"\b\d[\d.,]* ?(million|billion|m|bn)? "
                       r"(monthly )?(active )?(users|customers)\b"),
    # running it for others over a network: whether a source offer is due, and whether allowed
    ("network_source", NETWORK + r"(?=.*\b(source|source code|(my|our|the) (changes|"
                                 r"modifications|code|modified version)|modified version)\b)"),
    # "if I ship only an executable, must I make its source available?"
    ("source_offer", r"^(?=.*\b(ship|distribut|executable|binar|compiled|object code|sell|"
                     r"convey)\w*)(?=.*\b(source|source code|corresponding source)\b.{0,30}\b("
                     r"available|public|provide|offer|publish|release)|.*\b(make|provide|offer|"
                     r"publish|release|share|give)\w* (the |its |my |our )?(corresponding )?"
                     r"source\b)"),
    ("hosted_service", r"\bhosted (api|service|version)\b|\bas an? (hosted |web |cloud |paid |"
                       r"public |online )?(api|service|saas)\b|\bsaas\b|\bsoftware as a service\b|"
                       r"\bbehind an? api\b|\bweb (app|service)\b|\bover a network\b|\b(host|"
                       r"serve|offer)\w* (it|them|this|the model|\w+) (to|for) (my |our |paying )?"
                       r"(customers|users|clients)\b"),
    ("patent_termination", r"\b(sue|sues|suing|lawsuit|litigation)\b"),
    ("patent", r"\bpatents?\b"),
    # "what happens if I break the acceptable use policy?", "can Meta revoke my licence?"
    ("termination", r"\b(terminat\w*|revok\w*|revocab\w*|breach\w*|break(s|ing)?|broke|"
                    r"violat\w*)\b|"
                    r"\bwhat happens if (i|we|you) (don t|do not|fail|stop|no longer)\b|"
                    r"\b(end|take away|pull|lose|losing) (my|our|your|the|this|its) (license|"
                    r"agreement|rights)\b"),
    # "release my changes under the same licence?", not "is X under the same licence as Y?"
    ("share_alike", r"\bcopyleft\b|\bshare ?alike\b|\b(release|distribut|licens|publish|ship)"
                    r"\w*\b.{0,40}\bsame license\b|\bsame license\b(?! as\b)|\bviral\b|"
                    r"\brelease my (code|app|changes)\b|" + WHOLE_WORK),
    ("governing_law", r"\bgoverning law\b|\bjurisdiction\b|\bwhich (law|courts?)\b|\bcourts?\b"),
    ("attribution", r"\b(credit|attribut\w*|notices?|acknowledg\w*)\b"),
    ("redistribution", r"\bredistribut\w*|\bshare the weights\b|\bre ?host\b|"
                       r"\bpublish (the|my|modified) weights\b"),
    ("modification", r"\bfine ?tun\w*|\bmodif\w*|\bderivative\w*|\badapt\w*"),
    ("commercial_use", r"\bcommercial\w*|\bin (a|my|our) (product|app|service|business|saas)\b|"
                       r"\bsell\b|\bmoney\b|\bmonetis\w*|\bmonetiz\w*|\bpaid (product|service)\b|"
                       r"\bfor (my|our) (company|startup|business)\b|\bin production\b|"
                       r"\bship (it|this|them)\b|\bcharg\w* (my |our |the )?(customers|users|"
                       r"clients|money|a fee|for)\b"),
    ("use_policy", r"\bwhat (is|are|does|do) (the |its |their )?.{0,40}\b(acceptable use|"
                   r"use polic\w*|prohibited use)|"
                   r"\b(has|have|comes? with|includes?|imposes?|carr(y|ies)|any)\b.{0,30}\b("
                   r"acceptable use|use polic\w*|use restrictions?|usage restrictions?|"
                   r"prohibited uses?)\b|\brestrict\w* (how|what|the ways?)\b(?!.*\boutputs?\b)|"
                   r"\b(use|usage) based restrictions?\b|"
                   # 'what does the OpenRAIL-M licence restrict?', 'what uses does X forbid?'
                   r"^\W*what (uses? |\w+ )?(does|do) .{0,60}\b(restrict|forbid|prohibit|ban|"
                   r"disallow)\W*$|\bwhat (uses?|usage) (are |is )?(prohibited|forbidden|"
                   r"restricted|banned|not allowed)\b|\bwhat can ?not (i|we|you) (do|use)\b"),
    # openness components of the models table (ModelRow.openness)
    ("checkpoints", r"\b(intermediate|training) checkpoints?\b|\bcheckpoints\b"),
    ("training_code", r"\btraining code\b|\bcode (used )?to train\b|\btraining (recipe|"
                      r"pipeline)s?\b"),
    ("inference_code", r"\binference code\b"),
    ("data_documentation", r"\bdata ?(sheet|card|documentation)\b|\bdocument\w* (its|their|the) "
                           r"(training )?data\b"),
    ("evaluation", r"\bevaluation (code|results?|suite|harness)\b|\beval code\b"),
    ("paper", r"\btechnical report\b|\b(research )?paper\b|\btech report\b"),
    ("model_card", r"\b(model|system) card\b"),
    ("mof_class", r"\bmodel openness framework\b|\bmof\b"),
    ("training_data", r"\btraining data\b|\bdata ?sets?\b|\btrained on\b|\bdata (it|they) "
                      r"(was|were) trained|\bweights and (the |its |their )?data\b"),
    ("which_licence", r"\b(what|which) (license|terms)\b|\blicense (is|does|do)\b|"
                      r"^\W*what (is|are) (the )?[\w .-]{1,30} licenses?\W*$|"
                      r"\blicenses? of\b|"
                      r"\b(released|licensed|distributed|published|available) under\b|"
                      + UNDER_A_LICENCE + "|"
                      r"^(is|are|was|were) [\w .+]{1,40}? (apache|mit|bsd|gpl|agpl|lgpl|mpl|"
                      r"openmdw)( [\d.]+)?( license)?$|"
                      r"\bunder (what|which|the|an?)\b.*\blicense\b|\bwhose license\b"),
    ("weights", r"\bweights?\b|\bdownload\w*|\brun (it |them |\w+ ){0,3}?(locally|offline|on "
                r"(my|our) )|"
                r"\bself ?host\w*|\bon hugging ?face\b|" + API_ONLY),
    ("open_source", r"\bopen source\b|\bosi\b|\bfree software\b|\b(fully|truly|completely|"
                    r"really|genuinely) open\b(?! (weights?|data|licen[cs]e))"),
]
LICENCE_INTENTS = {"outputs_training", "naming_rule", "user_threshold", "patent", "share_alike",
                   "governing_law", "attribution", "redistribution", "modification",
                   "commercial_use", "patent_termination", "military_use", "medical_use",
                   "eu_use", "use_policy", "change_notices", "output_ownership", "trademarks",
                   "network_source", "hosted_service", "outputs_use", "registration",
                   "source_offer", "termination"}
USE_POLICY_FACTS = {"military_use", "medical_use", "eu_use"}  # a use policy may decide these
# the question shapes a fact answer cannot do justice to: leave them to the written answer
OPEN_ENDED = re.compile(r"\b(why|explain|compare|difference|differ|versus|vs|pros|cons|"
                        r"arguments?|history|how (does|do|did) .* (work|change|compare)|"
                        r"requirements?|besides|what else|apart from|what happened|"
                        r"leak(s|ed)?)\b|"
                        r",? and (what|when|which|how|who|is|are|does|do|can|its)\b", re.I)

SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}
COUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|bn|k|m)?\b", re.I)


def count_in(text: str) -> float | None:
    """The largest user-like count in a text: '900 million' -> 9e8, '1,000,000' -> 1e6,
    'a billion' -> 1e9."""
    text = re.sub(r"\b(a|one) (thousand|million|billion)\b", r"1 \2", text, flags=re.I)
    best = None
    for number, scale in COUNT.findall(text):
        if not scale and re.fullmatch(r"(19|20)\d\d", number):
            continue  # a year ('the April 2024 terms'), not a number of users
        try:
            value = float(number.replace(",", "")) * SCALE.get((scale or "").lower(), 1)
        except ValueError:
            continue
        if value >= 1000 and (best is None or value > best):
            best = value
    return best


# a licence's own name is not a nuance of the question ('the Stability AI Non-Commercial
# Research Community License')
NAMED_LICENCE = re.compile(r"\b(the )?([A-Z][\w.-]*\s+){1,6}(Licen[cs]e|Terms of Use)\b(\s+"
                           r"(Agreement|v?\d[\d.]*))*")


@dataclass
class Intent:
    kind: str
    yes_no: bool
    negative: bool
    count: float | None = None
    without_permission: bool = False  # "...use it without Meta's permission?"
    words: str = ""  # the question, normalised (entities.norm)
    removal: bool = False  # "may I remove the notice?": whether a duty may be dropped


COMPARE_WORDS = re.compile(r"\b(compare\w*|comparison|difference|differ\w*|versus|vs|"
                           r"chang\w*)\b", re.I)


# "what does X publish?", "besides the weights, what else did they put out?"
PUBLISHED = re.compile(r"^\W*(and |so )?(besides (the )?weights,? |apart from (the )?weights,? )?"
                       r"what (else )?(do|does|did|has|have|is|are|was|were)\b.{0,60}\b("
                       r"publish\w*|releas\w*|put out|made public|make public|share[sd]?|"
                       r"open[- ]sourc\w*|come with|came with)\b|\bwhat (else )?(comes|came) "
                       r"with\b", re.I)


# the EU's member states: 'a startup based in France' is in the EU
EU_STATES = re.compile(r"\b(austria|belgium|bulgaria|croatia|cyprus|czechia|czech republic|"
                       r"denmark|estonia|finland|france|germany|greece|hungary|ireland|italy|"
                       r"latvia|lithuania|luxembourg|malta|the netherlands|netherlands|poland|"
                       r"portugal|romania|slovakia|slovenia|spain|sweden)\b")


def detect(question: str, comparing: bool = False) -> Intent | None:
    """What a question asks, if it is one of the facts the tables hold; `comparing`: the
    question compares two entities, so 'compare' and 'differ' are expected in it."""
    # "What licence does X use, and how is that different from Y?": one ask, then the
    # comparison itself, which the caller answers for each side
    unasked = COMPARE_WORDS.sub(" ", re.sub(
        r",? and how (is|are|does|do) (that|this|it|they|its|theirs?)\b", " ", question,
        flags=re.I)) if comparing else question
    if PUBLISHED.search(unasked) and not re.search(r"\b(why|how|when)\b", unasked, re.I) or (
            comparing and re.search(r"\bwhat\b.{0,40}\b(publish|releas|put out|open[- ]sourc)\w*",
                                    question, re.I)):
        return Intent("published", False, False)
    if OPEN_ENDED.search(unasked):
        return None
    text = EU_STATES.sub("the eu", norm(question))
    for kind, pattern in INTENTS:
        if re.search(pattern, text):
            yes_no = bool(YES_NO.search(question))
            count = count_in(question)
            if kind == "output_ownership" and re.search(r"\b(do|will|would|can) (i|we|my \w+|"
                                                        r"our \w+) (own|keep)\b", text):
                yes_no = False  # "do I own it?": the licensor claiming none does not say so
            asked = re.sub(SUBJECT.get(kind, r"(?!)"), " ", NAMED_LICENCE.sub(" ", question),
                           flags=re.I)
            if yes_no and NUANCE.search(asked) and not (kind == "user_threshold" and (
                    count or NON_COMMERCIAL.search(question))):
                return None
            if kind == "outputs_training" and not re.search(r"\boutputs?\b|\btrain", text) and \
                    re.search(dict(INTENTS)["commercial_use"], text):
                kind = "commercial_use"  # 'bans distillation, so can I use it commercially?'
            if kind == "outputs_training" and (REQUIRE.search(question) or OBLIGATION.search(
                    question)) and re.search(r"\b(attribut\w*|credit|acknowledg\w*|label\w*|"
                                             r"display)\b", text):
                kind = "naming_rule"  # 'train on its outputs ... does it require attribution?'
            if REQUIRE.search(question) and kind not in DUTY_KINDS:
                return None  # 'if I train on its outputs, does it require attribution?': the
                # duty asked about is not the use the question starts from
            if OBLIGATION.search(question) and RELEASE_MINE.search(question) and kind in (
                    "redistribution", "modification", "attribution"):
                kind = "share_alike"  # 'if I fine-tune it, must I release my weights?'
            if kind in ("redistribution", "modification") and OBLIGATION.search(question):
                # "must I say what I changed?" asks about notices; "what must my own licence
                # terms include?" about the conditions of passing it on
                kind = ("redistribution" if re.search(r"\b(my|our) (own )?(license|terms)\b",
                                                      text) else "attribution")
            if kind == "weights" and re.search(r"\b(legal|lawful|illegal|permitted|allowed)\b",
                                               text):
                return None  # 'is it legal to use the leaked weights?': not whether they
                # are published
            if kind == "termination" and re.search(r"\b(back|reinstat\w*|restor\w*|cur(e|es|"
                                                    r"ed|ing)|again)\b", text):
                yes_no = False  # 'do I get my rights back?': the clause says how, no verdict
            removal = kind in DUTY_KINDS and bool(REMOVAL.search(question))
            if removal and kind == "redistribution":
                kind = "attribution"  # 'strip the licence text when I redistribute': a notice
            negative = bool(NEGATIVE.search(question)) != removal or (
                kind == "weights" and bool(re.search(API_ONLY, text)))
            return Intent(kind, yes_no, negative, count,
                          bool(WITHOUT_PERMISSION.search(question)), text, removal)
    return None


@dataclass
class Draft:
    """A fact answer before its passages are numbered: sentences, each with the sources
    (source id, optional text the passage must contain) it cites."""

    sentences: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    verdict: str | None = None  # yes | no | conditional | depends | partly | None
    fact: str = ""

    def say(self, sentence: str, *cites: tuple[str, str]) -> Draft:
        self.sentences.append((sentence, list(cites)))
        return self


VERDICT_WORD = {"yes": "Yes.", "no": "No.", "partly": "Partly.", "depends": "It depends on the "
                "version.", "conditional": "Only under a condition."}


def flip(value: str) -> str:
    return {"yes": "no", "no": "yes"}.get(value, value)


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
        threshold = (count_in(fact.detail) if key == "user_threshold" and
                     re.search(r"\busers\b", fact.detail) else None)
        if key == "user_threshold" and NON_COMMERCIAL.search(intent.words):
            if value not in ("yes", "conditional") or not re.search(r"\bcommercial users\b|"
                                                                   r"\bcommercially\b",
                                                                   fact.detail, re.I):
                return None  # a threshold not scoped to commercial use: the clause decides
            draft.verdict = "no"  # 'if I only use it for non-commercial research'
            draft.say("No: the threshold applies to commercial use only.")
        elif threshold and intent.count:
            above = f"{users(intent.count)} users is above the {users(threshold)} threshold"
            if intent.count > threshold and intent.without_permission:
                draft.verdict = "no"
                lead = f"No: {above}, so you need a separate licence first."
            elif intent.count > threshold:
                draft.verdict = "conditional"
                lead = f"Not without a separate licence: {above}."
            else:
                draft.verdict = "yes"
                lead = (f"Yes: {users(intent.count)} users is below the {users(threshold)} "
                        "threshold.")
            draft.say(lead)
        else:
            draft.verdict = value
            lead = ("Not expressly." if fact.value == "silent" and not negative
                    else VERDICT_WORD.get(value, ""))
            if file_level and intent.yes_no:  # "does the whole app have to be under the MPL?"
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
                    intent.words) and not SHARING.search(intent.words):
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
            draft.say(lead)
    for _, fact in chosen:
        draft.say(with_section(fact), (lic.id, fact.quote))
    return draft


END_USERS = re.compile(r"\b(customers|end users|my users|our users|clients|people using "
                       r"(my|our))\b")


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
QUALIFIED = {"trademarks", "output_ownership", "network_source"}
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


def users(count: float) -> str:
    """9e8 -> '900 million', 1e9 -> '1 billion'."""
    if count >= 1e9:
        return f"{count / 1e9:g} billion"
    return f"{count / 1e6:,.0f} million" if count >= 1e6 else f"{count:,.0f}"


def with_section(fact: LicenceFact) -> str:
    """The fact's sentence, naming its section unless it already does."""
    text = fact.detail.rstrip(". ")
    ident = fact.section.split()[-1].lower() if fact.section else ""
    cited = re.search(r"\((sections?|items?|article|attachment)\b[^)]*\)$", text, re.I)
    if fact.section and fact.section.lower() not in text.lower() and not cited and not (
            re.search(r"\d", ident) and re.search(rf"(?<![\w.]){re.escape(ident)}(?![\w])",
                                                 text.lower())):
        text += f" ({fact.section})"
    return text + "."


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


def join(names: list[str]) -> str:
    """'A, B and C'; 'A and B, and C' when a name holds 'and' itself."""
    if len(names) < 2:
        return "".join(names)
    last = ", and " if any(" and " in n for n in names) else " and "
    return ", ".join(names[:-1]) + last + names[-1]


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


def table_rule_draft(intent: Intent, rows: list[ModelRow]) -> Draft | None:
    """What the openness table records of a rule, for models whose one licence has no checked
    clauses here (Meta Llama 3's: no using outputs to improve other LLMs); a verdict only on
    using outputs, where the recorded rule forbids it; None when no row records the rule."""
    notes = [n for n in restriction_notes(rows[0], TABLE_RULES.get(intent.kind, r"(?!)"))
             if intent.kind != "outputs_training" or re.search(r"\b(train|improve)", n)]
    if not notes or len({r.restrictions for r in rows}) != 1:
        return None
    draft = Draft(fact=intent.kind)
    if intent.kind == "outputs_training":  # a rule that forbids it: not allowed
        draft.verdict = "no" if any(map(FORBIDS.search, notes)) else None
    elif intent.kind != "hosted_service" and not intent.count:  # the duty or the cap exists
        draft.verdict = "yes"
    if intent.yes_no and draft.verdict:
        if intent.negative and intent.kind != "user_threshold":
            draft.verdict = flip(draft.verdict)
        draft.say(VERDICT_WORD[draft.verdict])
    else:
        draft.verdict = None
    names = join([strip_parens(r.name) for r in rows])
    return draft.say(
        f"{names} {'is' if len(rows) == 1 else 'are'} released under the {rows[0].licence_name}, "
        f"which Faultline holds no checked clauses for; the openness table records: "
        f"{'; '.join(notes)}.", *[(f"model:{r.id}", "") for r in rows[:6]])


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
    draft.say(f"{strip_parens(rows[0].name)} is released under the {rows[0].licence_name}, which "
              f"does not mention outputs; the openness table records for the release: "
              f"{notes[0][0]}.", (f"model:{rows[0].id}", ""))
    others = [r for r, n in zip(rows, notes, strict=True) if not n]
    if others:
        names = join([strip_parens(r.name) for r in others])
        draft.say(f"It records no such statement for {names}, under the "
                  f"{others[0].licence_name}.", *[(f"model:{r.id}", "") for r in others])
    return draft


def table_use_draft(intent: Intent, rows: list[ModelRow]) -> Draft | None:
    """Commercial use of models whose licence has no structured facts (Codestral's MNPL): the
    openness table's own yes or no for every row, with its recorded restrictions; for one
    licence the table records as 'restricted' (Falcon 180B's), no verdict, and those
    restrictions; None when the rows disagree."""
    values = {r.commercial_use for r in rows}
    if values == {"restricted"} and len({r.licence for r in rows}) == 1 and rows[0].restrictions:
        names = join([strip_parens(r.name) for r in rows])
        return Draft(fact="commercial_use").say(
            f"{names} {'is' if len(rows) == 1 else 'are'} released under the "
            f"{rows[0].licence_name}, which Faultline holds no checked clauses for; the openness "
            f"table records commercial use as restricted: {rows[0].restrictions}",
            *[(f"model:{r.id}", "") for r in rows[:6]])
    if len(values) != 1 or not values <= {"yes", "no"}:
        return None
    value = values.pop()
    draft = Draft(fact="commercial_use")
    if intent.yes_no:
        draft.verdict = flip(value) if intent.negative else value
        draft.say(VERDICT_WORD[draft.verdict])
    names = join([strip_parens(r.name) for r in rows])
    cited = [(f"model:{r.id}", "") for r in rows[:6]]
    draft.say(f"{names} {'is' if len(rows) == 1 else 'are'} released under the "
              f"{rows[0].licence_name}, and the openness table records commercial use as "
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


ASSUMES = re.compile(r"^\s*(why|since|given (that)?|as|now that|because|so)\b|\b(now|already|"
                     r"since|given that)\b|,\s*right\s*\?\s*$|^[^?]*\b(is|are)\b[^?]*,\s*so\b",
                     re.I)
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


def shared_word(rows: list[ModelRow]) -> str:
    """'Gemma' for rows whose names all hold it ('Gemma 2', 'CodeGemma'...), else ''."""
    words = [strip_parens(r.name).split() for r in rows]
    return next((w for w in words[0] if all(w.lower() in " ".join(ws).lower()
                                            for ws in words[1:])), "")


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
    if not (WHY_NOT_OPEN.search(question) and rows):
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
    draft.say(f"By the OSI's Open Source AI Definition, {whom} {be(rows)} not open source, "
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
                             r"rules? (for|on))\b)", re.I)


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


# facts whose "yes" is a permission (a "ban" of the use is then a false premise)
PERMISSIONS = {"commercial_use", "outputs_training", "modification", "redistribution",
               "military_use", "medical_use", "eu_use"}


def ban_premise(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """'Since the Qwen License bans training on its outputs, how do I get around it?': it does
    not ban it, when the licence's fact is a permission (with or without a condition)."""
    if not (ASSUMES.search(question) and NEGATIVE.search(question)):
        return None
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


# what a comparison of two whole licences goes through, in this order
COMPARED = [("share_alike", "copyleft (share-alike)"), ("commercial_use", "commercial use allowed"),
            ("user_threshold", "a user or revenue threshold"), ("use_policy", "use restrictions"),
            ("patent_grant", "a patent grant"), ("attribution", "attribution and notices required"),
            ("outputs_training", "training other models on outputs allowed"),
            ("naming_rule", "a naming or labelling rule for what you build")]
VALUE_WORD = {"yes": "yes", "no": "no", "conditional": "with conditions",
              "silent": "not addressed"}
LICENCE_WORD = re.compile(r"\blicen[cs]es?\b|\bterms\b|\bagreements?\b", re.I)


def licence_sides(question: str, groups: list[list[Entity]], catalogue: Catalogue
                  ) -> list[tuple[Entity, list[ModelRow]]] | None:
    """The two licences a comparison is about, each with the models named for it: named
    licences, or the one licence of each model named ('the Llama 2 and Llama 3 licences')."""
    sides = []
    for group in groups:
        if all(e.type == "licence" for e in group):
            sides.append((group[0], []))
            continue
        if not LICENCE_WORD.search(question):
            return None
        rows = [r for e in group for r in e.rows if r.access != "api"]
        named = [catalogue.get(catalogue.licence_names[f"{alias} license"]) for e in group
                 for alias in e.aliases if f"{alias} license" in catalogue.licence_names]
        if named:  # 'the Qwen and Llama 3.1 licences': Qwen's own licence is called that
            sides.append((named[0], [r for r in rows if r.licence == named[0].key]))
            continue
        if len({r.licence_name for r in rows}) != 1:
            return None
        sides.append((catalogue.licence_of(rows[0]), rows))
    return sides if len(sides) == 2 else None


def licences_draft(question: str, groups: list[list[Entity]], catalogue: Catalogue,
                   facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """'What is the difference between GPL and Apache 2.0?': OSI approval, then each fact
    users weigh where the two texts differ, each side in its own words, then where they
    agree; for a licence Faultline holds no facts for, each side's recorded restrictions.
    (The model had said the GPL forbids commercial use and is not open source.)"""
    sides = licence_sides(question, groups, catalogue) if COMPARE_WORDS.search(question) \
        and len(groups) == 2 else None
    if sides is None:
        return None
    (a, rows_a), (b, rows_b) = sides
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
        return draft
    osi = {True: "OSI-approved", False: "not OSI-approved"}
    oa, ob = a.licence.osi_approved, b.licence.osi_approved
    lead = (f"Both the {a.name} and the {b.name} are OSI-approved." if oa and ob else
            f"Neither the {a.name} nor the {b.name} is OSI-approved." if oa == ob else
            f"The {a.name} is {osi[oa]}; the {b.name} is {osi[ob]}.")
    draft.say(f"{lead} Where their texts differ:", (a.id, ""), (b.id, ""))
    agreed = []
    for kind, label in COMPARED:
        x, y = fa.get(kind), fb.get(kind)
        if x is None or y is None or x.value == "unknown" or y.value == "unknown":
            continue
        if x.value == y.value:
            agreed.append(f"{label} ({VALUE_WORD.get(x.value, x.value)})")
            continue
        draft.say(f"- {label[0].upper()}{label[1:]}: the {a.name}: {with_section(x)} "
                  f"The {b.name}: {with_section(y)}", (a.id, x.quote), (b.id, y.quote))
    if agreed:
        draft.say(f"Both texts say the same on {join(agreed)}.", (a.id, ""), (b.id, ""))
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


# "Which models publish their training data?", "List the Mistral models under Apache 2.0"
TABLE_QUERY = re.compile(r"^\W*(?:(which|what)|(list|name|show)( me)?( all)?( the)?)\s+((?!(is|are|"
                         r"was|were|do|does|did|the|an?)\b)[\w.-]+\s+){0,3}(models|llms|"
                         r"releases)\b|^\W*(can|could) you (name|list|give me|show me|suggest)"
                         r"( me)? (a|an|one|some|any|the)?\s*([\w.-]+\s+){0,2}(models?|llms?)\b|"
                         # "Give me an example of an open-weight model...", "Name a model..."
                         r"^\W*(give me|name|suggest|list|show me)\s+(an?|one|some|any|a few|two|"
                         r"three)?\s*(examples?( of)?\s+)?(an?\s+)?([\w.-]+\s+){0,2}(models?|"
                         r"llms?)\b", re.I)
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


# "Which licence requires 'Built with Llama'?": a wording asked about, quoted or a label
WORDING = re.compile(r"[\"“‘]([^\"”’]{4,60})[\"”’]|\b((?:built|improved) (?:with|using) \w+)\b",
                     re.I)
WHICH_LICENCES = re.compile(r"\bwhich (licen[cs]es?|terms|agreements?)\b|\bwhat licen[cs]es?\b|"
                            r"\bwhat (does|do|is) .{0,40}\b(mean|means|refer to|about)\b|"
                            r"\bwhere does .{0,40}\bcome from\b", re.I)
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


def table_draft(question: str, linked: list[Entity], catalogue: Catalogue) -> Draft | None:
    """A question over the whole table: the rows that meet every condition it names, listed
    by name and cited; a licence, family or developer it names narrows the rows."""
    by_developer = bool(TABLE_DEVELOPERS.search(question))
    if not (TABLE_QUERY.search(question) or by_developer) or any(e.type == "model"
                                                                  for e in linked):
        return None
    text = norm(question)
    wanted = [(phrase, test) for pattern, phrase, test in CONDITIONS if re.search(pattern, text)]
    if wanted and wanted[0][0].startswith("publish both"):
        wanted = wanted[:1] + [w for w in wanted[1:] if not w[0].startswith("publish their")]
    licences = [e for e in linked if e.type == "licence"]
    scopes = [e for e in linked if e.type in ("family", "developer")]
    for pattern, key, phrase in LICENCE_FAMILIES:
        if not licences and re.search(pattern, text):
            wanted.append((f"are under {phrase}", lambda r, key=key: (
                lic := catalogue.licence_of(r)) is not None and lic.licence.family == key))
            break
    if not wanted and not licences:
        return None
    pool = [r for e in scopes for r in e.rows] if scopes else [
        e.rows[0] for e in catalogue.entities.values() if e.type == "model"]
    hits = [r for r in pool if all(test(r) for _, test in wanted)
            and (not licences or r.licence in {e.key for e in licences})]
    hits = list({r.id: r for r in hits}.values())
    what = " and ".join(phrase for phrase, _ in wanted)
    if licences:
        what = (what + " and " if what else "") + f"are under the {licences[0].name}"
    named = [e for e in scopes if e.type == "developer"] or scopes
    scope = f" from {join([strip_parens(e.name) for e in named])}" if scopes else ""
    draft = Draft(fact="table")
    if not hits:
        return draft.say(f"No models{scope} in the table {what}.")
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
    draft.say(f"In the table, {count}{scope} {what}: {join(names)}{more}.",
              *[(f"model:{r.id}", "") for r in hits[:6]])
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


# "When did Claude 3 come out, and in which tiers?": the versions a row's name lists
TIERS = re.compile(r",?\s*and (in )?(what|which) (were |are |did )?(its |their |the )?(tiers?|"
                   r"tiered versions?|variants?|sizes?)\b[^.?]*\??\s*$", re.I)


def plan(question: str, linked: list[Entity], catalogue: Catalogue,
         facts: dict[str, dict[str, LicenceFact]]) -> Draft | None:
    """A fact answer for the question, or None when the tables do not hold what it asks."""
    tiers = TIERS.search(question)
    rows = [e.rows[0] for e in linked if e.type == "model" and re.search(r"\(.*,.*\)",
                                                                          e.rows[0].name)]
    if tiers and rows:  # the first ask from the tables, then the versions the row names
        draft = plan(question[:tiers.start()] + "?", linked, catalogue, facts)
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
    if intent is not None and intent.kind != "weights" and closed_weights_asked(question, linked):
        # 'Can I fine-tune Claude and release the weights?': there are none to fine-tune
        intent = Intent("weights", intent.yes_no, False)
    if intent is not None and intent.kind == "which_licence" and linked and all(
            e.type == "licence" for e in linked) and not LICENCE_OF.search(question):
        intent = None  # 'What is the MIT License?' asks about the licence, not whose it is
    if intent is None:
        return (two_asks(question, linked, mentions, catalogue, facts)
                or profiles_draft(question, groups)
                or licence_profile_draft(question, linked, facts))
    draft = answer_intent(intent, linked, mentions, catalogue, facts)
    for extra in also_asked(question, intent):  # "the training data and the training code"
        more = answer_intent(extra, linked, mentions, catalogue, facts)
        if draft is None or more is None:
            break
        draft = joined(draft, more)
    return draft


def closed_weights_asked(question: str, linked: list[Entity]) -> bool:
    """A question that needs the weights (fine-tune them, release them, run them on one's own
    machine) of models that are all API-only: whatever else it asks, the weights settle it."""
    _, rows = premise_subjects(linked)
    # not 'Can I fine-tune GPT-4o?' alone: some vendors tune their models through the API
    return bool(rows) and all(r.access == "api" for r in rows) and bool(re.search(
        dict(INTENTS)["weights"], norm(question)))


# "Under what terms can I use Gemma 3, and are they open source?": two asks, one after ", and"
SECOND_ASK = re.compile(r",?\s+and (?=(is|are|am|does|do|can|could|may|has|have)\b)", re.I)


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
    if not rows or len(rows) > MOST_ROWS * len(groups):
        return None
    draft = Draft(fact="profile")
    if len(groups) == 2:
        draft.say("What the models table records for each:")
    for row in rows:
        draft.say(f"- {profile(row)}" if len(rows) > 1 else profile(row),
                  (f"model:{row.id}", ""))
    return draft


# "What is Llama 4's licence?", "the licence of Qwen2.5": which licence a model is under
LICENCE_OF = re.compile(r"['’]s (own )?licen[cs]e\b|\blicen[cs]e (of|for)\b", re.I)
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
    hits = [f for f in facts[lic.key].values() if f.value != "unknown" and re.match(
        rf"section {re.escape(number)}(?![\d])", f.section, re.I)]
    if not hits:
        return None
    draft = Draft(fact="section")
    draft.say(f"What Faultline's facts record from section {number} of the {lic.name}:")
    for fact in {f.detail: f for f in hits}.values():
        draft.say(with_section(fact), (lic.id, fact.quote))
    return draft


# facts of the table that one question may ask two of ("licence, and what else comes with it")
TABLE_KINDS = {"which_licence", "weights", "training_data", "published", *(
    "checkpoints", "training_code", "inference_code", "data_documentation")}


def also_asked(question: str, first: Intent) -> list[Intent]:
    """Other table facts the question asks besides the first one detected (at most two)."""
    if first.kind not in TABLE_KINDS:
        return []
    text, found = norm(question), []
    if first.kind != "published" and PUBLISHED.search(question):
        found.append(Intent("published", False, False, words=text))
    for kind, pattern in INTENTS:
        if kind in TABLE_KINDS and kind != first.kind and re.search(pattern, text) and not (
                kind == "weights" and re.search(r"\b(besides|apart from|beyond) (the )?"
                                                r"weights\b", text)):
            found.append(Intent(kind, first.yes_no, first.negative, words=text))
    return [i for i in found if i.kind != first.kind][:2]


def joined(draft: Draft, more: Draft) -> Draft:
    """Two fact answers as one: one verdict first ('Partly.' when they differ), then both."""
    body = more.sentences[1:] if more.verdict and draft.verdict and more.sentences else \
        more.sentences  # the second ask's own verdict stays when the first had none
    said = {text for text, _ in draft.sentences}
    body = [(text, cites) for text, cites in body if text not in said and not (
        "released under" in text and any(t.startswith(text[:-1]) for t in said))]
    if draft.verdict and more.verdict and draft.verdict != more.verdict:
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
    if intent.kind in LICENCE_INTENTS and len(licences) > 1 and not subjects:
        return each_licence_draft(intent, licences, catalogue, facts)  # 'OpenRAIL-M'
    if intent.kind in LICENCE_INTENTS:
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
                    names = [strip_parens(r.name) for r in rows]
                    draft.sentences.insert(1 if draft.verdict else 0, (
                        f"{join(names)} {'is' if len(rows) == 1 else 'are'} released under the "
                        f"{rows[0].licence_name}.", [(f"model:{r.id}", "") for r in rows[:6]]))
                    if intent.kind == "outputs_training" and facts[lic.key][
                            "outputs_training"].value == "silent":
                        draft = allowed_by_release(intent, rows) or draft
                    elif draft.verdict is None:  # the texts leave it open; the table may
                        draft.sentences += recorded(intent.kind, rows)  # record the rule
                return draft
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


def quote_in(text: str, quote: str) -> bool:
    squash = lambda s: re.sub(r"\s+", " ", s).strip().casefold()  # noqa: E731
    return bool(quote) and squash(quote) in squash(text)


__all__ = ["FACT_KEYS", "Draft", "Intent", "detect", "plan", "quote_in"]
