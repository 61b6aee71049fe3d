"""The scope gate, before any model call: off-topic questions, near-topic questions whose answer
is not in the passages (a price, a cost, a score, a future release), and questions about a
model the knowledge base has no entry for are declined by code, not by trusting the model."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.entities import Entity

DOMAIN = re.compile(
    r"\b(ai|a\.i\.|artificial intelligence|models?|llms?|language models?|weights?|licen[cs]e\w*|"
    r"open[- ]?(source|weights?)|closed[- ]?(source|models?)|fine[- ]?tun\w*|datasets?|"
    # training a model, not a marathon training plan
    r"train(ing|ed)? (data|code|runs?|sets?|compute|corpus|pipeline|recipe)|trained on|"
    r"pre-?train\w*|"
    r"osi|osaid|api|parameters?|neural|chat ?bots?|machine learning|deep learning|"
    r"transformers?|inference|copyright|ai act|regulat\w*|acceptable use|benchmarks?|gpus?|"
    r"hugging ?face|github|rail|creative commons|copyleft|patents?|openness|frontier|"
    r"generative|gen ?ai|diffusion|safety|misuse|deepfakes?|disinformation|auditab\w*|"
    r"vendors?|proprietary|permissive|attribution|derivative works?|redistribut\w*|mof|"
    r"model openness|data information|checkpoints?|tokens?|gpai|general.purpose|open.?washing|"
    # the AI Act's recitals are the only ones the knowledge base holds
    r"recitals? \d+)\b", re.I)

# what a near-topic question asks for -> the evidence a passage must show to answer it
ASKS_FOR: list[tuple[str, re.Pattern, re.Pattern]] = [
    # "How much does Mistral AI charge per million tokens?": a price per use, which a passage
    # must state as one (a revenue cap in dollars is not a price)
    ("price", re.compile(r"\bper (million |thousand |1m |1k )?tokens?\b|\bper (request|call|"
                         r"query)\b|\bpricing\b|\bhow much (does|do|will) .{0,40}\bcharge\b",
                         re.I),
     re.compile(r"[$€£]\s?\d[\d.,]*[^.]{0,40}\bper\b|\b\d[\d.,]* (dollars|euros|cents)\b[^.]{0,40}"
                r"\bper\b", re.I)),
    # 'How much does a commercial licence for Mistral Large 2 cost?': what something costs,
    # which a licence question asks too; a passage must state a sum
    ("cost", re.compile(r"\bhow much (does|do|did|will|would|is|are)\b.{0,60}\b(cost|charge)\w*|"
                        r"\bwhat (does|do|did|will|would) .{0,60}\bcost\b|\b(price|cost) of (a|an|"
                        r"the) .{0,40}\blicen[cs]e\b", re.I),
     re.compile(r"\b(costs?|priced?|fees?|charges?|pays?)\b[^.]{0,30}(\$|€|£|\bUSD\b)\s?\d",
                re.I)),  # a revenue cap in dollars is no price
    ("money", re.compile(r"\b(how much (did|does|do|is|was|will)|(?<!on )(?<!in )cost\w*|"
                         r"(?<!on )price\w*|spen[dt]|"
                         r"charge\w*|dollars?|usd|\$|share price|stock|valuation|revenue|"
                         r"funding|salar\w*)\b", re.I),
     re.compile(r"(\$|€|£|\bUSD\b|\bdollars?\b|\beuros?\b)", re.I)),
    ("score", re.compile(r"\b(score\w*|mmlu|benchmark (result|score)s?|elo|leaderboard)\b", re.I),
     re.compile(r"\b(MMLU|score[sd]?|benchmark results?|Elo)\b[^.]{0,60}\d", re.I)),
    ("compute", re.compile(r"\b(gpu[- ]?hours|flops|how many (gpus|chips|hours))\b", re.I),
     re.compile(r"\b(GPU[- ]?hours|FLOPs?|H100s?|A100s?)\b", re.I)),
    ("download", re.compile(r"\bhow many (times|downloads)\b|\bdownload (count|numbers|"
                            r"figures|statistics)\b|\bhow (often|popular)\b|\bmost (downloads|"
                            r"downloaded|popular|used)\b|\btrending\b", re.I),
     re.compile(r"\d[\d,.]*\s*(million |thousand |k )?downloads\b", re.I)),
    # "How big is Llama 3.1 405B?": a parameter count a passage must state as one (the model
    # read '405B' in 'added a 405B model' next to '90B vision' and garbled both)
    ("size", re.compile(r"\bhow (big|large) (is|are|was|were) (?!(my|our|your|the company))|"
                        r"\bhow many parameters\b|\bwhat size (is|are)\b",
                        re.I),
     re.compile(r"\d[\d.,]*\s*(billion|million|[BM])\b[^.]{0,40}\bparameters\b|\bparameters\b"
                r"[^.]{0,40}\d[\d.,]*\s*(billion|million|[BM])\b", re.I)),
    # "What is the best open model for coding?": a ranking, which no source here gives
    ("ranking", re.compile(r"\b(what|which) (is|are) (the )?(best|top|strongest|smartest|"
                           r"fastest|most capable)\b(?!.{0,40}\b(way|argument|case|reason)s?\b)|"
                           # 'Is OLMo 2 better than Llama 3.1?', not 'better licensed than'
                           r"^\W*(is|are|was|were) (?!.*\b(licen[cs]\w*|terms|open\w*)\b).{1,40}\b"
                           r"(better|worse|smarter|faster|stronger|more capable) than\b|"
                           r"\b(best|top) (open|closed|free|local)?[- ]?(weights? )?(model|llm)s? "
                           r"(for|to)\b|\bwhich (model|llm) (is|performs|works) (better|best)\b|"
                           r"\brecommend (a|an|me a|me an) (\w+ )?(model|llm)\b|"
                           # 'which licence allows the most freedom?': a ranking of licences
                           r"\b(which|what) licen[cs]e (is|gives|allows|grants|offers|has) (you )?"
                           r"(the )?(most|least|best|freest)\b", re.I),
     re.compile(r"(?!)")),
    # 'which licence should I choose for my model?': advice on one's own release
    ("advice", re.compile(r"\b(which|what) licen[cs]e should (i|we) (choose|pick|use|go with|"
                          r"release)\b.{0,30}\b(my|our) (own )?(\w+ )?(model|project|weights|"
                          r"dataset|code|release)\b", re.I),
     re.compile(r"(?!)")),
    ("emissions", re.compile(r"\b(co2|carbon|emission\w*|tonnes|energy use)\b", re.I),
     re.compile(r"\b(CO2|CO₂|carbon|emission\w*|tonnes)\b", re.I)),
    ("staff", re.compile(r"\bhow many (employees|staff|people (work|are employed))\b|"
                         r"\b(headcount|number of employees)\b", re.I),
     re.compile(r"\d[\d,.]*\s*(employees|staff|people)\b", re.I)),
    ("court", re.compile(r"\b(which|what) judge\b|\bwho is the judge\b|\bjudge (is )?"
                         r"(hearing|presiding)\b", re.I),
     re.compile(r"\b(judge|court)\b[^.]{0,80}\b(lawsuit|case|v\.)", re.I)),
    ("future", re.compile(r"\b(when (is|will|are)\b.*\b(release|launch|come out|ship)\w*|"
                          r"going to (release|launch|win)|will (win|happen|be released)|"
                          r"next year|in the future|predict\w*|forecast\w*|"
                          r"(will|going to) .{0,40}\bnext ([\w.-]+ )?(model|release|version|"
                          r"generation|licen[cs]e|terms)|"
                          r"\bnext ([\w.-]+ )?(model|release|version|generation)\b.{0,40}\bwill)\b",
                re.I),
     re.compile(r"(?!)")),  # the knowledge base records what happened, never what will
    # 'this week', 'right now': a live figure, where the knowledge base is a dated record
    ("live", re.compile(r"\b(this|last) (week|month)\b|\bright now\b", re.I),
     re.compile(r"(?!)")),
    # "Who is the CEO of Mistral?": a post a passage must name (founders are not a CEO)
    ("role", re.compile(r"\bwho (is|was|are|were) (the )?(current )?(ceo|cto|coo|chief \w+ officer|"
                        r"president|chair(man|woman|person)?|head)\b|\b(ceo|cto)\b", re.I),
     re.compile(r"\b(CEO|CTO|COO|chief \w+ officer|chief executive|president|"
                r"chair(man|woman|person)?)\b",
                re.I)),
    # "How do I install Ollama?": setup instructions, which no source here gives
    ("setup", re.compile(r"\bhow (do|can|should|would|to) (i |we |you |one )?(install|set ?up|"
                         r"configure|compile|quanti[sz]e)\b|\binstall(ing|ation)? (steps|"
                         r"instructions|guide)\b", re.I), re.compile(r"(?!)")),
    ("opinion", re.compile(r"\b(personally|privately)\b|\bwhat does [A-Z]\w+ [A-Z]\w+ "
                           r"(think|believe|feel)\b", re.I), re.compile(r"(?!)")),
]
REASONS = {"future": "it asks about the future, and the sources record only what has happened",
           "opinion": "it asks for a person's private opinion, which no source records",
           "court": "no source names the judge of that case",
           "price": "the passages give no price per use for it",
           "cost": "no source gives what it costs",
           "ranking": "it asks which model or licence is best or most, and the knowledge base "
                      "records licences and openness, not benchmark results or rankings",
           "role": "no source names who holds that post",
           "advice": "it asks which licence to choose for your own release, which is advice; "
                     "the knowledge base records what each licence allows and requires",
           "setup": "it asks how to install or set up software, and the knowledge base "
                    "records licences and openness, not setup instructions",
           "live": "it asks about this week or this month, and the knowledge base is a dated "
                   "record, not live news"}
# a model-like name ('OpenELM', 'Llama-5', 'Llama 5'), or the word that names a licence or a
# model ('the Quillfeather Licence'): one the knowledge base never mentions is declined
NAME = re.compile(r"\b([A-Z][A-Za-z]*[A-Z0-9][\w.-]*|[A-Z][a-z]+-\d[\w.]*|[A-Z][a-z]+ \d[\d.]*|"
                  r"[A-Z][a-z]+(?= (?:[Ll]icen[cs]e|[Mm]odels?)\b))\b")


@dataclass
class Verdict:
    reason: str  # why the question is declined, said to the user
    what: str = ""  # the kind of ask declined ('money', 'future'...), where there is one


def off_topic(question: str, linked: list[Entity], best_score: float, min_score: float
              ) -> Verdict | None:
    """No model, licence, developer or domain word, and retrieval far from everything."""
    if linked or DOMAIN.search(question) or best_score >= min_score:
        return None
    return Verdict("the question is outside what the knowledge base covers")


# "Tell me a joke about open source": a request for writing, not a question the sources answer
CREATIVE = re.compile(r"\b(tell|write|make( up)?|compose|give) (me |us )?(a |an |some |another )?"
                      r"(\w+ )?(jokes?|poems?|story|stories|songs?|raps?|haikus?|limericks?|"
                      r"riddles?|puns?)\b", re.I)


def creative_request(question: str) -> Verdict | None:
    """A request to write something (a joke, a poem) rather than a question."""
    if CREATIVE.search(question):
        return Verdict("it asks for a piece of writing, and Faultline only answers questions "
                       "from its sources")
    return None


def unsupported_ask(question: str, passages_text: str) -> Verdict | None:
    """A question asking for a figure or a forecast the passages do not contain."""
    for what, asks, evidence in ASKS_FOR:
        if asks.search(question) and not evidence.search(passages_text):
            reason = REASONS.get(what, f"the passages give no {what} figure for it")
            return Verdict(reason, what)
    return None


# "Why did Meta release Llama's weights?": a named party's reasons, which a passage must give
MOTIVE = re.compile(r"^\W*(?i:why) (?i:did|does|do|has|have|would|was|were) "
                    r"(?P<who>(?=[a-z]*[A-Z])[A-Za-z][\w.&-]*(?: [A-Z][\w.&-]*)?)(?:'s)? "
                    r"(?:\w+ ){0,3}?(?i:release|open|publish|put|"
                    r"choose|chose|pick|switch|decide|keep|make|made|licen[cs]|launch|adopt|move|"
                    r"stop|drop|give|share|close)\w*\b")
# a reason given: a causal word, or someone's words that say what the act does or is for
# ('Meta said open weights let others build on it'; not 'xAI says little about the data')
REASON = re.compile(r"\b(because|in order to|so that|so as to|aim(s|ed)? to|reasons?|motiv\w*|"
                    r"strateg\w*)\b|\b(says?|said|argues?|argued|wrote|stated|explained|"
                    r"announced)\b.{0,80}\b(lets?|helps?|allows?|enables?|empower\w*|to (help|"
                    r"let|give|build|grow|attract|foster|enable|allow|fight|support))\b", re.I)


# the act a reason is given for ('because the weights run outside OpenAI's systems' gives
# none for releasing them)
ACT = re.compile(r"\b(releas\w*|publish\w*|open[- ]?sourc\w*|open(ed|ing|s)?|shar(e|es|ed|ing)|"
                 r"licens\w*|clos(e|ed|ing)|kept|keep\w*)\b", re.I)


def unexplained_motive(question: str, passages_text: str) -> Verdict | None:
    """Why a named developer did something, when no passage sentence names it and gives a
    reason or its own words: the model would make a reason up from what is there."""
    asked = MOTIVE.search(question)
    if asked is None:
        return None
    who = asked.group("who")
    for sentence in re.split(r"(?<=[.!?])\s+", passages_text):
        if who.lower() in sentence.lower() and REASON.search(sentence) and ACT.search(sentence):
            return None
    return Verdict(f"no source gives {who}'s reasons for it")


# 'SDXL Turbo', 'Llama 3 Lightning': a known name with a variant word the sources never use
VARIANT = re.compile(r"\b((?:[A-Z][\w.-]*\s){1,2})(Turbo|Lightning|Lite|Heavy)\b")


def unknown_variant(question: str, corpus_text: str) -> Verdict | None:
    """A variant of a known model that no source mentions: its facts are not the base
    model's, so decline before a fact answer gives the base model's licence."""
    for match in VARIANT.finditer(question):
        name = (match.group(1) + match.group(2)).strip()
        if not any(v in corpus_text for v in (name.lower(), name.lower().replace(" ", "-"))):
            return Verdict(f"the knowledge base has no entry for {name}")
    return None


def unknown_name(question: str, linked: list[Entity], corpus_text: str) -> Verdict | None:
    """A model name the knowledge base has never heard of ('Llama 5', 'OpenELM')."""
    named = {e.type for e in linked}
    for match in NAME.finditer(question):
        name = match.group(1)
        if match.start() == 0 and " " not in name and not re.search(r"[A-Z0-9]", name[1:]):
            continue  # an ordinary capitalised first word
        if name.lower() not in corpus_text and ("model" not in named or re.search(r"\d", name)):
            if any(name.lower().startswith(a) for e in linked for a in e.aliases
                   if e.type == "model"):
                continue
            return Verdict(f"the knowledge base has no entry for {name}")
    return None


def unlisted_release(question: str, version: str | None, intent: str | None) -> Verdict | None:
    """A table fact (licence, weights, data) asked of a release of a known family that has no
    row ('What licence was Phi-2 released under?'): the table is the authority, so decline."""
    if version and intent in ("which_licence", "weights", "training_data", "open_source",
                              "osi_licence"):
        return Verdict(f"the openness table has no entry for {version.title()}")
    return None
