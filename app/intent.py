"""What a question asks: its intent (which licence, the weights, commercial use, a clause),
whether it is a yes/no, asked the other way round, with a user count; read from its words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.entities import norm

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
# "is it safe to use in Europe?": safety, security or privacy, which no licence fact settles
SAFETY = re.compile(r"\b(safe|safely|safety|secure|security|privacy|private data|gdpr|"
                    r"trustworthy|trust it|risky|dangerous|spy\w*|backdoors?|censor\w*)\b", re.I)
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
RELEASE_MINE = re.compile(r"\b(release|publish|open.?sourc|disclose|make public|share)\w* (my|our|"
                          r"the) (own )?(fine.?tuned |modified |changed |derived |whole |entire )?"
                          r"(weights|model|changes|modifications|code|source( code)?|version|app|"
                          r"application|product|project|software)\b", re.I)
# the count a question gives is a sum of money, not a number of users ('a $5 million company')
REVENUE = re.compile(r"\$|\brevenue\b|\bturnover\b|\busd\b|\bdollars?\b|\beuros?\b", re.I)
WITHOUT_PERMISSION = re.compile(r"\bwithout (\w+'s |their |its |the licensor's )?"
                                r"(permission|approval|a (separate )?licen[cs]e)", re.I)

# "does the whole app have to be under the MPL?": how far a copyleft reaches, not whether
WHOLE_WORK = (r"\b(whole|entire) (app|application|program|product|project|code ?base|work|"
              r"software)\b.{0,40}\bunder\b")
# "Can I fine-tune Gemma 3 and release it under MIT?": my version under terms I choose
RELEASE_UNDER = (r"\b(release|distribut|publish|licens|ship|share)\w* (it|them|this|my|our)\b"
                 r"[\w ]{0,30}\bunder (the |an? )?(mit|apache|bsd|gpl|agpl|lgpl|mpl|cc|creative "
                 r"commons|different|another|other|my own|our own|any)\b")
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
    ("medical_use", r"\bmedical\b|\bhealth ?care\b|\bdiagnos\w*|\bclinical\b|\bhospitals?\b|"
                    r"\bpatients?\b|\bclinics?\b"),
    ("eu_use", r"\b(in|from|based in|domiciled in|inside) (the )?(eu|european union|europe)\b|"
               r"\beu (based|users|companies|customers|residents)\b|\beuropean (users|"
               r"companies|customers)\b|"
               # 'what does the Llama 4 licence say about the EU?', 'the EU exclusion'
               r"\b(say|says|said|rules?|clauses?|restrictions?|exclusions?)\b.{0,20}\b(about|"
               r"on|for|regarding) (the )?(eu|european union)\b|\beu (restrictions?|exclusions?|"
               r"ban|carve ?out|clause)\b"),
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
                         # 'use Llama 3.3 to generate training data for Mistral'
                         r"\b(generat|creat|produc|mak)\w* (the |my |our )?(training|fine tun\w*|"
                         r"instruction) data\b|"
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
                       r"(monthly )?(active )?(users|customers)\b|"
                       r"\b\d[\d.,]* ?(thousand|million|billion|m|bn|k)? (in |of )?(annual |"
                       r"monthly |yearly )?(revenue|turnover|sales)\b|"
                       # 'what happens above it?', after an answer that gave the threshold
                       r"\bwhat happens (if (i|we|you) (go )?)?(above|over|beyond|past|exceed\w*|"
                       r"cross\w*|pass\w*) (it|that|the (threshold|limit|cap))\b"),
    # running it for others over a network: whether a source offer is due, and whether allowed
    ("network_source", r"\bnetwork (clause|provision|section|interaction)s?\b|"
                       + NETWORK + r"(?=.*\b(source|source code|(my|our|the) (changes|"
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
    ("share_alike", r"\bcopyleft\b|\bshare ?alike\b|\bre ?licens\w*\b|" + RELEASE_UNDER + "|"
                    r"\b(release|distribut|licens|publish|ship)"
                    r"\w*\b.{0,40}\bsame license\b|\bsame license\b(?! as\b)|\bviral\b|"
                    r"\brelease my (code|app|changes)\b|" + WHOLE_WORK + "|"
                    # 'does it require me to share my source code?': a duty to share, not leave
                    r"^(?=.*\b(must|have to|has to|need to|needs to|required|requires?)\b)"
                    r"(?=.*\b(release|publish|open ?sourc|disclose|share)\w* (my|our) (own )?"
                    r"(\w+ )?(source|code|changes|modifications|weights|app|product)\b)"),
    ("governing_law", r"\bgoverning law\b|\bjurisdiction\b|\bwhich (law|courts?)\b|\bcourts?\b"),
    ("attribution", r"\b(credit|attribut\w*|notices?|acknowledg\w*)\b"),
    ("redistribution", r"\bredistribut\w*|\bshare the weights\b|\bre ?host\b|"
                       r"\bpublish (the|my|modified) weights\b"),
    ("modification", r"\bfine ?tun\w*|\bmodif\w*|\bderivative\w*|\badapt\w*"),
    ("commercial_use", r"\bcommercial\w*|\bin (a|my|our) (\w+ )?(product|app|application|service|"
                       r"business|saas)\b|\b(build|make|create|launch|start)\w* (a |an )?(\w+ )?"
                       r"(competitor|competing|rival)\b|\bcompete with\b|"
                       r"\bsell\b|\bmoney\b|\bmonetis\w*|\bmonetiz\w*|\bpaid (product|service)\b|"
                       r"\bfor (my|our) (company|startup|business)\b|\bin production\b|"
                       # 'in my company's internal tools', 'at work'
                       r"\b(company|companys|company s|employer|business|firm)\b.{0,12}"
                       r"\binternal\b|"
                       r"\bat work\b|"
                       r"\bship (it|this|them)\b|\bcharg\w* (my |our |the )?(customers|users|"
                       r"clients|money|a fee|for)\b"),
    # "Do I have to pay to use Llama 3?", "Can I use Gemma for free?"
    ("fee", r"\b(pay|paying(?! (customers|users|clients|subscribers))|paid|fees?|royalt\w*|"
            r"free of charge|for free|cost (me |us )?(anything|money)|costs? nothing|"
            r"licen[cs]e fee)\b|\bis (it|[\w.]+( [\w.]+){0,3}) free\b"),
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
                      # 'Does the Qwen licence apply to Qwen3?'
                      r"^(does|do) (the )?[\w .+-]{1,40}? license (apply|applies|cover|covers)"
                      r" (to )?[\w .+-]{1,40}$|"
                      # 'Does Gemma 4 use Apache 2.0?'
                      r"^(does|do|did) [\w .+]{1,40}? (use|come with|ship with|ship under) (the |"
                      r"an? )?(apache|mit|bsd|gpl|agpl|lgpl|mpl|openmdw)( [\d.]+)?( license)?$|"
                      r"\bunder (what|which|the|an?)\b.*\blicense\b|\bwhose license\b"),
    ("weights", r"\bweights?\b|\bdownload\w*|\brun (it |them |\w+ ){0,3}?(locally|offline|on "
                r"(my|our) )|"
                r"\bself ?host\w*|\bon hugging ?face\b|" + API_ONLY),
    ("open_source", r"\bopen source\b|\bosi\b|\bfree software\b|^\W*how open\b|"
                    r"\bneeds? to qualify\b|\bwhat would .{0,30}\b(need|take)\b.{0,10}\bqualify\b|"
                    r"\b(fully|"
                    r"truly|completely|really|genuinely) open\b(?! (weights?|data|licen[cs]e))"),
]
LICENCE_INTENTS = {"outputs_training", "naming_rule", "user_threshold", "patent", "share_alike",
                   "governing_law", "attribution", "redistribution", "modification",
                   "commercial_use", "patent_termination", "military_use", "medical_use",
                   "eu_use", "use_policy", "change_notices", "output_ownership", "trademarks",
                   "network_source", "hosted_service", "outputs_use", "registration",
                   "source_offer", "termination", "fee"}
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
    revenue: bool = False  # the count is a sum of money ('a company with $5 million')


COMPARE_WORDS = re.compile(r"\b(compare\w*|comparison|difference|differ\w*|versus|vs|"
                           r"chang\w*)\b", re.I)


# "what does X publish?", "besides the weights, what else did they put out?"
PUBLISHED = re.compile(r"^\W*(and |so )?(besides (the )?weights,? |apart from (the )?weights,? )?"
                       r"what (else )?(do|does|did|has|have|is|are|was|were)\b.{0,60}\b("
                       r"publish\w*|releas\w*|put out|made public|make public|share[sd]?|"
                       r"open[- ]sourc\w*|come with|came with)\b|\bwhat (else )?(comes|came) "
                       r"with\b", re.I)


# what using a model or licence costs ('how much does it cost to use Llama 3.1?')
COSTS = re.compile(r"\bhow much (does|do|will|would|is|are)\b.{0,60}\b(cost|charge)\w*\b(?! (my|"
                   r"our|the|your) (customers|users|clients))|\bwhat (does|do|will|would) .{0,60}"
                   r"\bcost\b|\b(price|cost) of (a|an|the) .{0,40}\blicense\b")


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
    if COSTS.search(text):  # 'how much does a commercial licence cost?': its fee, not its use
        return Intent("fee", False, False, words=text)
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
            if OBLIGATION.search(question) and RELEASE_MINE.search(question) and kind not in (
                    "share_alike", "network_source", "source_offer", "hosted_service"):
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
            if kind == "share_alike" and (re.search(r"\bre ?licens\w*\b", text) or re.search(
                    RELEASE_UNDER, text) and not OBLIGATION.search(question)):
                yes_no = False  # 'can I relicense it under MIT?': what the copyleft clause
                # lets you do with your own changes, not a verdict on the whole work
            if kind == "termination" and re.search(r"\b(back|reinstat\w*|restor\w*|cur(e|es|"
                                                    r"ed|ing)|again)\b", text):
                yes_no = False  # 'do I get my rights back?': the clause says how, no verdict
            if re.search(r"\b(say|says|mention|mentions) anything\b", text):
                yes_no = False  # 'does it say anything about the EU?': what it says, no verdict
            if SAFETY.search(question):
                yes_no = False  # 'safe to use in Europe?': the licence's answer is no verdict
            removal = kind in DUTY_KINDS and bool(REMOVAL.search(question))
            if removal and kind == "redistribution":
                kind = "attribution"  # 'strip the licence text when I redistribute': a notice
            negative = bool(NEGATIVE.search(question)) != removal or (
                kind == "weights" and bool(re.search(API_ONLY, text))) or (
                kind == "fee" and bool(re.search(r"\bfree\b", text))
                and not re.search(r"\bpay\w*\b", text))  # 'for free?': the fee turned round
            return Intent(kind, yes_no, negative, count,
                          bool(WITHOUT_PERMISSION.search(question)), text, removal,
                          bool(REVENUE.search(question)))
    return None


# a question that takes its premise as given ('since ...', 'why does ...', ', right?')
ASSUMES = re.compile(r"^\s*(why|since|given (that)?|as|now that|because|so)\b|\b(now|already|"
                     r"since|given that)\b|,\s*right\s*\?\s*$|^[^?]*\b(is|are)\b[^?]*,\s*so\b",
                     re.I)
