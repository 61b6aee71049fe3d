"""Stage 4: passages -> answer with citations. The pipeline, top to bottom:
history-aware rewrite -> hybrid retrieval -> numbered-passage prompt -> chat model -> citation
check -> answer or explicit abstention."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from itertools import chain, takewhile
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from app import postprocess as post
from app import prompts
from app.llm import Backend, BackendUnavailable, get_backend
from app.retrieve import Kind, Passage, Retriever
from app.settings import Settings

if TYPE_CHECKING:
    from app.scope import Verdict

CITATION = post.CITATION


RANK = re.compile(r"\b(highest|lowest|strictest|loosest|most open|least open) \w+", re.I)


def keeps_what_it_names(question: str, rewritten: str, corpus_dir) -> str:
    """The model's rewrite of a follow-up, unless it lost a model or licence the follow-up
    names itself ("Is Codestral under the same terms?" must stay about Codestral), a use
    of the licence it asks about ("..., so I can ship it in production?"), or the change it
    asks about ("Did that change...?"): then the follow-up as asked, which already says what
    it is about."""
    from app.entities import catalogue, norm
    from app.intent import INTENTS, LICENCE_INTENTS, detect

    cat = catalogue(corpus_dir)
    named = {e.id for e in cat.link(question) if e.type in ("model", "licence", "family")}
    kept = {e.id for e in cat.link(rewritten)}
    asked, rewrite = norm(question), norm(rewritten)
    uses = {k for k, pattern in INTENTS if k in LICENCE_INTENTS and re.search(pattern, asked)}
    still = {k for k, pattern in INTENTS if k in uses and re.search(pattern, rewrite)}
    # a table fact the follow-up asks ('Besides the weights, what else did they put out?')
    # that the rewrite no longer asks ('What other components were included...')
    ask, kept_ask = detect(question), detect(rewritten)
    lost = ask is not None and ask.kind == "published" and kept_ask is None
    # 'Did that change...?' rewritten 'Did ... use the same terms...?': its yes is now a no
    changes = [bool(re.search(r"\b(chang|switch)\w*", text, re.I)) for text in (question,
                                                                            rewritten)]
    lost = lost or changes == [True, False]
    # 'its highest class' rewritten 'the highest classification score': the rank asked is gone
    ranks = [m.group(0).lower() for m in RANK.finditer(question)]
    lost = lost or any(not re.search(rf"\b{re.escape(r)}\b", rewritten, re.I) for r in ranks)
    return rewritten if named <= kept and uses <= still and not lost else question


SUBJECTS = ("model", "licence", "family")
# "And Apache 2.0?", "What about Gemma 4?": the last question again, about another name
ANOTHER = re.compile(r"^\W*(?:and|what about|how about|same for|and for|and what about)\s+"
                     r"(?:the\s+|for\s+)?(?P<name>.+?)\W*$", re.I)
# "What about with 800 million users?", "Did that change with the newest generation?": a
# follow-up that changes the last ask or points into the last answer, which the model
# rewrites from the whole history
CHANGES_ASK = re.compile(r"^\W*(and|what about|how about|what if|same|but)\b|\b(that|this|those|"
                         r"these|same|chang\w*|switch\w*|instead|else|other|both|either|newest|"
                         r"latest|generation|tiers?|versions?)\b", re.I)


# a follow-up that points back ('is its data public?', 'can I sell it?'); a longer question
# without one stands alone ('What does the OSI definition require?' after a Gemma question)
REFERS = re.compile(r"\b(it|its|it's|they|them|their|theirs|this|that|these|those|one|"
                    r"the (licen[cs]e|model|terms|agreement|company|developer))\b", re.I)


def stands_alone(question: str, corpus_dir) -> bool:
    """A question that points back to nothing and changes no earlier ask, and names its own
    model or licence or has more than six words: asked in a chat, it is answered as written.
    The page had added the last question's model to 'What does the OSI Open Source AI
    Definition require?'."""
    from app.entities import catalogue

    if REFERS.search(question) or CHANGES_ASK.search(question):
        return False
    return len(question.split()) > 6 or any(
        e.type in SUBJECTS for e in catalogue(corpus_dir).link(question))


def named_before(history: list, cat) -> str:
    """The latest user turn that names a model, licence or family ('' when none does)."""
    return next((t.content for t in reversed(history) if t.role == "user" and any(
        e.type in SUBJECTS for e in cat.link(t.content))), "")


def swapped_subject(question: str, history: list, corpus_dir) -> str | None:
    """'And Apache 2.0?' after 'Does the MIT licence include a patent grant?': the last
    question with the new name in place of the one it named; None when the follow-up is
    more than a name, or the last question named none (then the model rewrites from the
    whole history). The model had rewritten it 'What is the Apache License?', losing the
    patent grant asked about."""
    from app.entities import catalogue, norm

    cat = catalogue(corpus_dir)
    found = ANOTHER.match(question)
    if not found or not history:
        return None
    name = found.group("name")
    linked = [e for e in cat.link(name) if e.type in SUBJECTS]
    rest = norm(name)
    for alias in sorted({a for e in linked for a in e.aliases}, key=len, reverse=True):
        rest = re.sub(rf"\b{re.escape(alias)}\b", " ", rest)
    if not linked or re.sub(r"\b(the|licen[cs]e|model|models|one|ones|version)\b", " ",
                            rest).strip():
        return None  # 'what about with 800 million users?' changes the ask itself
    last = next((t.content for t in reversed(history) if t.role == "user"), "")
    if not last or ANOTHER.match(last):
        return None  # two swaps in a row: the model rewrites from the whole history
    said = surfaces(last, cat)
    return last.replace(said[0], name, 1)[:1000] if said else None


def surfaces(text: str, cat) -> list[str]:
    """The words of a text that name a model, licence or family, as written ('Phi-4' of
    'Is Phi-4 open weights?', though the name means four releases)."""
    found = []
    for group in cat.mentions(text):
        if group[0].type not in SUBJECTS:
            continue
        for alias in sorted({a for e in group for a in e.aliases}, key=len, reverse=True):
            spelled = r"[\s_.-]*".join(re.escape(t) for t in alias.split())
            hit = re.search(rf"(?<!\w){spelled}(?!\w)", text, re.I)
            if hit:
                found.append(hit.group(0))
                break
    return list(dict.fromkeys(found))


def with_subject(question: str, history: list, corpus_dir, as_written: bool = False) -> str:
    """A follow-up kept as asked that names no model, licence or family ('Does it put any
    limit on how big my company can be?'): the names of the latest question that named one,
    added (`as_written`: the words that named them, 'Phi-4' for four Phi-4 releases)."""
    from app.entities import catalogue

    cat = catalogue(corpus_dir)
    if any(e.type in SUBJECTS for e in cat.link(question)):
        return question[:1000]
    last = named_before(history, cat) or next(
        (t.content for t in reversed(history) if t.role == "user"), "")
    names = (as_written and surfaces(last, cat)) or list(dict.fromkeys(
        e.name for e in cat.link(last) if e.type in SUBJECTS))
    # no name to add: 'its highest class' after 'What is the Model Openness Framework?' says
    # 'the Model Openness Framework's highest class'
    return (f"{question} ({', '.join(names[:3])})" if names else carried(question, last, cat)
            )[:1000]


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Timings(BaseModel):
    rewrite_ms: float = 0.0
    retrieval_ms: float = 0.0
    first_token_ms: float | None = None
    total_ms: float = 0.0


class Answer(BaseModel):
    question: str
    standalone_question: str
    text: str
    abstained: bool = False
    reason: str = ""
    citations: list[int] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)
    backend: str = ""
    model: str = ""
    note: str = ""
    timings: Timings = Field(default_factory=Timings)
    verdict: str | None = None  # a fact answer's verdict: yes | no | conditional | ...
    entities: list[str] = Field(default_factory=list)  # what the question was linked to
    removed: list[str] = Field(default_factory=list)  # "step: sentence" the checks dropped
    raw_citations: list[int] = Field(default_factory=list)  # numbers the model itself wrote

    @property
    def cited(self) -> list[Passage]:
        return [p for p in self.passages if p.n in self.citations]


class QuestionRejected(ValueError):
    """The question cannot be asked as it is; the message says why and what to do."""


def clean_question(question: str, limit: int = 2000) -> tuple[str, str]:
    """Strip control characters and trim very long questions; returns (question, notice)."""
    cleaned = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", question).strip()
    cleaned = re.sub(r"\s+", " ", cleaned)
    if not cleaned:
        raise QuestionRejected("the question is empty: type a question about open or closed AI")
    if len(cleaned) > limit:
        return cleaned[:limit], (f"Your question was {len(cleaned):,} characters; only the "
                                 f"first {limit:,} were used.")
    return cleaned, ""


class Token(BaseModel):
    text: str


def split_sentences(text: str) -> list[str]:
    from app.postprocess import split

    return split(text) or [text]


def defuse(text: str) -> str:
    """Drop sentences that try to instruct the assistant: passages are data, not orders."""
    def clean(line: str) -> str:
        return " ".join(prompts.REMOVED if re.search(prompts.INSTRUCTION_LIKE, sentence)
                        else sentence for sentence in split_sentences(line))

    return "\n".join(clean(line) for line in text.split("\n"))


def drop_instructions(question: str) -> tuple[str, bool]:
    """The question without sentences that try to instruct the assistant (pasted text often
    carries them); True when one was dropped. Faultline only answers from its sources."""
    sentences = re.split(r"(?<=[.!?\]])\s+", question)
    kept = [s for s in sentences if not re.search(prompts.INSTRUCTION_LIKE, s)]
    return (" ".join(kept) if kept else question), len(kept) < len(sentences)


def format_passages(passages: list[Passage], question: str = "", keep_lists: bool = False,
                    budget: int = 320) -> str:
    """Each passage quoted under its number and label (the chunk's own header line removed:
    with it, the small model tends to copy passages instead of answering), cut to the
    sentences that bear on the question when one is given."""
    return "\n\n".join(prompts.PASSAGE.format(
        n=p.n, label=p.label, text=defuse(bearing(plain(p.body), question, keep_lists, budget)
                                          if question else p.body)) for p in passages)


# the words of asking about a use, which any clause may hold: 'Is Llama 3.1 allowed for use in
# hiring?' is about hiring
ASKING = {"use", "used", "using", "allowed", "allow", "permitted", "make", "about", "company",
          "question", "answer", "can", "want", "need", "thing", "able"}


def telling(passages: list[Passage], question: str, most: int = 2) -> list[tuple[int, str]]:
    """The sentences of the passages that say most about the question: question words that
    are rare among the candidate sentences count most ('military' over 'Llama 4 policy').
    At most one sentence per passage; (passage number, sentence), best first."""
    import math

    asked = words(question) - ASKING  # 'decisions' finds 'decision making'
    candidates = [(p.n, post.LIST_ITEM.sub("", sentence), words(p.title))
                  for p in passages for sentence in post.split(plain(p.body))
                  if len(sentence) > 30]
    # the subject's own name (in the passage title) says nothing about what is asked of it
    hits = [(words(sentence) & asked) - title for _, sentence, title in candidates]
    candidates = [(n, sentence) for n, sentence, _ in candidates]
    seen = {w: sum(w in ws for ws in hits) for w in asked}
    scored = sorted(((sum(math.log(1 + len(candidates) / seen[w]) for w in ws), n, sentence)
                     for (n, sentence), ws in zip(candidates, hits, strict=True) if ws),
                    key=lambda x: -x[0])
    out: list[tuple[int, str]] = []
    best = scored[0][0] if scored else 0.0
    for score, n, sentence in scored:
        if score < best / 2:
            break  # a sentence sharing only a word or two of less weight bears on little
        said = {re.sub(r"\W+", " ", t).strip().lower() for _, t in out}
        key = re.sub(r"\W+", " ", sentence).strip().lower()
        if n not in {m for m, _ in out} and len(out) < most and not any(
                key in x or x in key for x in said):
            out.append((n, sentence.rstrip()))
    return out


def tables_as_items(text: str) -> str:
    """A markdown table as list items, one per row ('- Passed: Pythia, OLMo.'), without its
    header and rule: split into sentences, its pipes were read as text."""
    lines, out = text.split("\n"), []
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("|"):
            out.append(line)
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        ruled = i + 1 < len(lines) and re.fullmatch(r"\|?[\s:|-]+\|?", lines[i + 1].strip())
        if ruled or all(re.fullmatch(r":?-+:?", c) for c in cells if c):
            continue  # the header (the row above the rule) and the rule itself
        out.append(f"- {cells[0]}: {', '.join(c for c in cells[1:] if c)}."
                   if len(cells) > 1 else f"- {cells[0]}.")
    return "\n".join(out)


def plain(text: str) -> str:
    """Markdown a small model would copy into its answer, made plain: links become their
    text, emphasis marks go, 'See [other page]' pointers are dropped, and so is the date the
    openness table was checked (the model gave it as the date of whatever was asked)."""
    text = re.sub(r" checked \d{1,2} [A-Z][a-z]+ \d{4}(?=:)", "", text)
    text = re.sub(r"(?:^|(?<=[.!?]\s))See \[[^\]]+\]\([^)]+\)[^\n]*?\.(?=\s|$)", "", text,
                  flags=re.M)
    text = tables_as_items(text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return re.sub(r"\*{1,2}([^*\n]+)\*{1,2}", r"\1", text)


def bearing(text: str, question: str, keep_lists: bool = False, budget: int = 420) -> str:
    """The sentences of a passage that share content words with the question, in their
    order, within a character budget (list items kept whole for list questions); a shorter
    prompt is most of a faster first token."""
    asked = post.content_words(question)
    sentences = post.split(text)
    # a lead-in whose list is not kept is left out too: the model copies it, then its
    # 'ask three questions:' is followed by no questions
    keep = [s for s in sentences if (keep_lists and post.LIST_ITEM.match(s))
            or post.content_words(s) & asked and (keep_lists or not s.endswith(":"))]
    out, size = [], 0
    for sentence in keep or sentences[:2]:
        if size + len(sentence) > budget and out and not (keep_lists and
                                                         post.LIST_ITEM.match(sentence)):
            continue
        out.append(sentence)
        size += len(sentence)
    return " ".join(out) if not keep_lists else "\n".join(out)


def gist(body: str, heading: str) -> str:
    """What a section says in a sentence or two: the first sentence of each bold-labelled
    paragraph ('**Code.** ...', '**Parameters.** ...'; a '**Counter-argument.**' is not the
    item), a 'means' sentence for a defined term, and the names of a list it introduces."""
    labelled = re.findall(r"^\*\*([^*]+?)\.?\*\*\s*(.+)$", body, re.M)
    kept = [(label, text) for label, text in labelled if not label.lower().startswith("counter")]
    if kept:
        parts = [post.split(text)[0] for _, text in kept]
        if len(kept) > 1:
            parts = [f"{label}: {part}" for (label, _), part in zip(kept, parts, strict=True)]
        return " ".join(parts)
    bullets = re.findall(r"^\s*-\s*\*\*([^*]+?)[.:]?\*\*", body, re.M)
    if bullets and re.match(r"\s*-\s*\*\*", body):  # a section that is a labelled list
        return ", ".join(b.strip(" .:") for b in bullets) + "."
    sentences = post.split(body)
    term = heading.split(":")[-1].strip().lower()
    defined = [x for x in sentences if re.search(rf"\b{re.escape(term)}\b.{{0,20}}\bmeans\b",
                                                 x, re.I)]
    first = (defined or sentences or [""])[0]
    if len(first) < 40 and not defined and len(sentences) > 1 and not first.endswith(":"):
        first = f"{first} {sentences[1]}"  # 'Some releases go further.' says nothing alone
    if first.endswith(":"):
        names = re.findall(r"^\s*-\s*\*\*([^*]+?):?\*\*", body, re.M)
        first = first[:-1] + (": " + ", ".join(n.strip(" :") for n in names) + "." if names
                              else ".")
    return first


def stems(text: str) -> set[str]:
    """Content words cut to six letters ('monetised', 'monetisation'; 'auditable',
    'auditability'), without the words every page of the domain shares."""
    return {w[:6] for w in post.content_words(text)} - {"model", "models", "ai", "open",
                                                        "closed", "withou"}


PAGE_WORDS = {"for", "and", "the", "of", "model", "models", "ai"}
# "the arguments against open-weight models", "the case against closed AI"
AGAINST = re.compile(r"\b(?:against|objections? to|criticisms? of)\s+(?:the\s+|keeping\s+|"
                     r"releasing\s+|using\s+)?(?:\w+\s+)?(open|closed)\b", re.I)
# "why do people argue open models are dangerous?": the case against open models, on safety
HARMFUL = re.compile(r"\b(open|closed)\b[\w\s-]{0,30}?\b(?:are|is|be|being) (?:too |more |so )?"
                     r"(?:dangerous|risky|unsafe|harmful|a (?:risk|danger|threat))\b|"
                     r"\b(?:are|is) (?:\w+ )?(open|closed)\b[\w\s-]{0,30}?\b(?:too |more |so )?"
                     r"(?:dangerous|risky|unsafe|harmful)\b|"
                     r"\b(?:dangers?|risks?|harms?|downsides?|drawbacks?|disadvantages?|cons) "
                     r"(?:of|in|with) (?:[\w-]+ ){0,4}?(open|closed|"
                     r"releasing|publishing)\b", re.I)


def case_against(question: str) -> str | None:
    """'open' or 'closed': the kind of model a question argues against ('the arguments against
    open models', 'are closed models risky?', 'the dangers of releasing weights')."""
    found = AGAINST.search(question) or HARMFUL.search(question)
    if found is None:
        return None
    return "closed" if found[found.lastindex].lower() == "closed" else "open"


def case_for(question: str) -> str | None:
    """The other kind: the page whose case is the one against the kind asked about."""
    against = case_against(question)
    return {"open": "closed", "closed": "open"}.get(against or "")


# an ask about harm names the safety argument ('Safety and misuse')
HARM_WORDS = re.compile(r"\b(dangers?|dangerous|unsafe|harm\w*|misuse\w*|risky|(?<!systemic )"
                        r"risks?)\b", re.I)


def safety_asked(question: str) -> set[str]:
    """{'safety'} when the question asks about harm: the word that names that item."""
    return {"safety"} if HARM_WORDS.search(question) else set()
# a question that asks for an argument or its answer ('why prefer', 'what's the catch')
ITEM_Q = re.compile(r"\b(why|prefer\w*|catch|counter\w*|downsides?|drawbacks?|objections?)\b",
                    re.I)


def section_gist(body: str, most: int = 3) -> list[str]:
    """An argued section in a few sentences: the first ones of each bold-labelled paragraph
    ('The argument.', 'Counter-argument.') with its label, a list it introduces kept in one
    line; [] for a section without such labels."""
    parts = re.split(r"(?m)^\*\*([^*\n]+?)\.?\*\*\s*", body)
    said = [(label.strip(), " ".join(post.split(plain(plain_lists(text)))[:most]).rstrip())
            for label, text in zip(parts[1::2], parts[2::2], strict=True)]
    out = [f"{label}: {text}" + ("" if text.endswith((".", "!", "?")) else ".")
           for label, text in said if text]
    return out


def opening(body: str, most: int = 6) -> list[str]:
    """A section that argues nothing, in a few sentences: its lead-in, then each list item's
    label and first sentence ('European Union. The EU AI Act exempts ...'), else its first
    sentences."""
    lines = [line.strip() for line in plain(body).splitlines() if line.strip()]
    items = [post.LIST_ITEM.sub("", line) for line in lines if post.LIST_ITEM.match(line)]
    if not items:
        return post.split(" ".join(lines))[:3]
    lead = [line for line in lines[:1] if not post.LIST_ITEM.match(line)]
    said = [" ".join(post.split(item)[:2]).rstrip(".;") + "." for item in items[:most]]
    return (lead + said)[:most + 1]


# "What is fine-tuning?", "What does 'open weights' mean?", "Define copyleft."
DEFINE_Q = re.compile(r"^\W*(?:what(?:'s| is| are)\s+(?:an?\s+|the\s+)?|what (?:does|do)\s+(?:the "
                      r"(?:term|word|phrase)\s+)?|(?:define|explain|describe)\s+(?:an?\s+|the\s+)?)"
                      r"[\"'“‘]?(?P<term>[^\"”?,]{2,60}?)"
                      r"[\"'”’]?\s*(?:mean|stand for|refer to)?\s*(?:in (?:the )?(?:context|world) "
                      r"of [^?]+)?[?.]?\s*$", re.I)
# a defining verb: 'means', 'is a ...' ('Quantisation is a main reason ...' defines nothing)
DEFINES = (r"(?:means|refers to|is (?:a|an|one|the)\b(?! (?:main|major|key|common|big|good|"
           r"central|useful) )|are (?:the|all|a|an)\b)")
POINTS_BACK = re.compile(r"\b(these|this|those|such|they|it)\b", re.I)


def defined_term(question: str) -> str | None:
    """The term a short 'what is X?' question asks to define, without its article."""
    asked = DEFINE_Q.match(question)
    if asked is None or len(asked.group("term").split()) > 6:
        return None
    return asked.group("term").strip()


def term_names(term: str) -> str:
    """A pattern for the ways a text names a term: 'open weights' or 'open weight'; 'the OSI's
    Open Source AI Definition' or 'Open Source AI Definition'; 'a RAIL licence' or 'RAIL'."""
    def pattern(text: str) -> str:
        return r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+", text.lower().strip())))

    names = {pattern(re.sub(r"s$", "", term)) + "s?"}
    owned = re.sub(r"^(?:the\s+)?\S+'s\s+", "", term)
    kind = re.match(r"(.+?)\s+(?:licen[cs]es?|models?|polic(?:y|ies))$", term, re.I)
    names |= {pattern(owned)} if owned != term else set()
    names |= {pattern(kind.group(1))} if kind else set()
    return "|".join(names)


def heads_entry(heading: str, term: str) -> bool:
    """A heading that is the term's glossary entry: 'RAIL (Responsible AI Licence)' for 'RAIL',
    'MAU (monthly active users)' for 'monthly active users'."""
    headed = re.fullmatch(r"(.*?)(?:\s*\((.*)\))?", heading)
    return bool(heading) and any(part and re.fullmatch(term_names(term), part, re.I)
                                 for part in headed.groups())


def definition(body: str, term: str, heading: str = "") -> list[str]:
    """The sentences of a text that define `term`: the opening of a section headed by the
    term (a glossary entry), else the sentence whose subject is the term and verb 'means' or
    'is a', with the section's opening if it points back ('these values') and the sentence
    after it; [] when nothing defines it."""
    either = term_names(term)
    subject = re.compile(rf"^[\"“'‘]?(?:an?\s+|the\s+)?(?:{either})[\"”'’]?"
                         rf"(?:\s*\([^)]*\))?(?:,\s*(?:also called|also known as|or)\s[^,]+)?,?"
                         rf"\s+{DEFINES}", re.I)
    if heads_entry(heading, term):
        opening = []
        for x in post.split(body.split("\n\n")[0])[:2]:
            if x.endswith(":") or post.LIST_ITEM.match(x):
                break  # a list's lead-in: what follows it reads on only with the list
            opening.append(x)
        return opening
    first = post.split(body)[:1]  # the section's own opening: what 'these values' are
    for paragraph in re.split(r"\n\s*\n", body):
        sentences = post.split(paragraph)
        for i, sentence in enumerate(sentences):
            found = subject.match(sentence)
            if found and not sentence.endswith(":"):
                before = [x for x in first if x != sentence and POINTS_BACK.search(
                    sentence[found.end():found.end() + 30])]
                after = [x for x in sentences[i + 1:i + 2] if not x.startswith("See ")]
                return [*before, sentence, *after]
    return []


# "Is it always cheaper to run it yourself?": a claim a counter-argument answers 'not always'
UNIVERSAL = re.compile(r"\b(always|in every case|in all cases|every time)\b", re.I)


def plain_lists(body: str) -> str:
    """A bulleted list joined to its lead-in line: 'none of this: the Llama 3.1 licence ...;
    the Qwen licence ...'."""
    lines, out = body.splitlines(), []
    for line in lines:
        if post.LIST_ITEM.match(line) and out and out[-1].strip():
            item = post.LIST_ITEM.sub("", line).strip().rstrip(".;")
            out[-1] = (out[-1].rstrip() + (" " if out[-1].rstrip().endswith(":") else "; ")
                       + item)
        else:
            out.append(line)
    return "\n".join(out)


LIST_Q = re.compile(r"\b(what are the|list|name the|main|arguments?|reasons?|components?|"
                    # 'why do companies release open weights?': the reasons they give
                    r"why (do|does|did|would|are|is) (\w+ ){0,2}(companies|developers|labs|firms|"
                    r"makers|organi[sz]ations|big tech)\b.{0,40}\b(releas|publish|open|shar|"
                    r"giv)\w*|"
                    r"checklist|what should (i|we) (check|look for)|why (would|do|does|should|"
                    r"might) (a |an )?\w+ (choose|pick|prefer|go with|opt for)|"
                    r"requirements?|require|requires|conditions|elements|steps|benefits|risks|"
                    r"duties|obligations|needs? (in order )?to (count|qualify))\b", re.I)
# "Who created the Model Openness Framework?", and the sentence that says so
WHO_Q = re.compile(r"^\W*who (created|developed|made|wrote|proposed|coined|invented|designed|"
                   r"maintains|runs|publishes|is behind|came up with)\b", re.I)
MADE_BY = re.compile(r"\b(developed|created|made|written|proposed|coined|introduced|designed|"
                     r"maintained|published|launched|run|led|named) by\b|\bresearchers (at|from)\b|"
                     r"\b(proposed|coined|named|introduced) (the|it|them)\b", re.I)
# "What happened with the Llama 1 weights leak?": an event in a model's history
EVENT_Q = re.compile(r"^\W*what happened\b|^\W*(how|when) (was|were|did) .{0,60}\b(leak\w*|"
                     r"happen\w*)\b", re.I)
# "What does MOF Class I require?": a list item a passage labels in bold, named in the question
LABELLED = re.compile(r"^\s*[-*]\s+\*\*([^*]+?)\*\*:?\s*(.+)$", re.M)
ASKS_WHAT = re.compile(r"^\W*(what|what's|explain|describe|define)\b", re.I)
# "What's an example of a model that is well documented but restrictively licensed?"
EXAMPLE_Q = re.compile(r"\b(an?|one|some|give me an?) examples? of\b|\bfor example\b.*\?\s*$",
                       re.I)
# questions a source's bulleted list answers whole: "what does a release contain?"
LISTED_Q = re.compile(r"\b(what are the|list|name the|which (duties|obligations|elements|"
                      r"freedoms|components|conditions|requirements|things)|what (does|do|did|"
                      r"must|should) .{0,60}\b(contain|include|cover|require)|what counts as|"
                      r"what (duties|obligations|conditions|requirements)|what (does|do|must) "
                      r".{0,60}\bstill (have to |need to |must )?do)\b",
                      re.I)


def bulleted(body: str) -> tuple[str, list[str]] | None:
    """(lead-in, items) of the first bulleted list in a passage whose lead-in ends with ':';
    a short lead-in ('It names:') is given with the sentence before it. Markdown made plain."""
    lines = plain(body).splitlines()
    for i, line in enumerate(lines):
        items = []
        for nxt in lines[i + 1:]:
            if not post.LIST_ITEM.match(nxt):
                break
            items.append(post.LIST_ITEM.sub("", nxt).strip().rstrip(";,."))
        if line.rstrip().endswith(":") and len(items) >= 2:
            said = post.split(line)
            lead = " ".join(said[-2:] if len(said[-1]) < 40 else said[-1:])
            return lead.rstrip(":").rstrip() + ":", items
    return None


# "Why does the exemption remove the copyright-policy duty?": a duty claimed to be lifted
LIFTED_Q = re.compile(r"\b(remov|drop|lift|waiv|scrap|eliminat|cancel)\w*\b.{0,60}\b(duty|duties|"
                      r"obligations?|requirements?)\b|\bexempts? (them|providers|it|models?) "
                      r"from\b|\b(no longer|not) (have|need) to\b", re.I)
LIFT_WORDS = ("remove removes drop lift waive scrap eliminate cancel duty duties obligation "
              "obligations requirement requirements exempt exempts them providers from longer "
              "have need")
# a list of what stays in force ('two obligations in Article 53(1) remain:')
STILL = re.compile(r"\b(remains?|still|even when|continues? to apply)\b", re.I)

def numbered(passages: list[Passage], p: Passage) -> int:
    """The number of passage p among the passages an answer cites, added (as a copy with its
    number) when it is not there yet."""
    for q in passages:
        if q.id == p.id:
            return q.n
    passages.append(p.model_copy(update={"n": len(passages) + 1}))
    return len(passages)


def listed(lead: str, items: list[str]) -> list[post.Sentence]:
    """A bulleted list as sentences, its lead-in and each item cited to passage 1."""
    return [post.Sentence(lead, (1,)),
            *[post.Sentence(f"- {item}", (1,), item=True) for item in items]]


# a paragraph break in a chunk's body (markdown's hard break included)
PARAGRAPH = re.compile(r"\n\s*\n|  \n")
# "What does Article 2(12) of the AI Act say?": a provision named, and what it says asked
PROVISION_Q = re.compile(r"\b(?P<kind>Article|Recital)s?\s+(?P<number>\d+)(?P<paragraph>\(\d+\))?",
                         re.I)
# ...with the provision the subject of the ask: 'what does Article 53(1) require?', 'tell me
# what Article 2(12) says', not 'what duties that Article 53(2) requires ... remain?'
SAYS_Q = re.compile(r"(?:\bwhat (?:(?:does|do|did|is|are) )?|\b(?:explain|summari[sz]e|describe) )"
                    r"(?:the )?$", re.I)


def provision(question: str) -> re.Pattern | None:
    """A pattern for the provision a 'what does Article N(M) say?' question names, as texts
    cite it ('Article 54(6)', 'Articles 53(2) and 54(6)'); None when it names none."""
    named = PROVISION_Q.search(question)
    if named is None or not SAYS_Q.search(question[:named.start()]):
        return None
    number = re.escape(named["number"]) + (re.escape(named["paragraph"]) if named["paragraph"]
                                           else r"(?:\(\d+\))?")
    others = r"(?:\d+(?:\(\d+\))?(?:,\s*|\s+and\s+))*"  # 'Articles 53(2) and 54(6)'
    return re.compile(rf"\b{named['kind']}s?\s+{others}{number}(?![\d(])", re.I)


def naming(body: str, cited: re.Pattern, most: int = 4) -> list[str]:
    """The paragraphs of a section that state what a provision says: each that names it,
    from its start ('Neither exemption applies...' before 'Recital 104 says that, for such
    models, ...') through the sentence after the last naming it, with the paragraph before
    when it opens by pointing back ('Recital 104 explains why.'); a lead-in ending in ':'
    brings its list. No paragraph twice."""
    taken: dict[int, str] = {}
    blocks = PARAGRAPH.split(body)
    for n, block in enumerate(blocks):
        said = post.split(block)
        last = max((i for i, x in enumerate(said) if cited.search(x)), default=None)
        if last is None:
            continue
        if n and n - 1 not in taken and (POINTS_BACK.match(said[0])
                                         or said[0].lower().endswith(" why.")):
            taken[n - 1] = blocks[n - 1].strip()
        end = min(last + 2, most, len(said))
        lead = next((i for i in range(last, end) if said[i].endswith(":")), None)
        if lead is not None:  # 'two obligations in Article 53(1) remain:', 'It names:' and
            # the list each introduces
            end = lead + 1 + len(list(takewhile(post.LIST_ITEM.match, said[lead + 1:])))
        taken[n] = "\n".join(said[:end])
    return [taken[n] for n in sorted(taken)]


# "How does the EU AI Act treat open-source AI systems?": what a text does with a subject
TREATS_Q = re.compile(r"\bhow (?:does|do|will|would) .+? (?:treat|handle|regulate|deal with|apply "
                      r"to)\b(?P<subject>.+)|\bhow (?:is|are) (?P<treated>.+?) (?:treated|handled|"
                      r"regulated)\b|\bwhat (?:does|do) .+? say about\b(?P<about>.+)", re.I)
GPAI = re.compile(r"\bgeneral[- ]purpose (?:ai )?", re.I)


def words(text: str) -> set[str]:
    """Content words without a plural s, not cut short: 'systemic' stays apart from
    'systems', which stems() would join."""
    return {re.sub(r"(?<=[^s])s$", "", w) for w in post.content_words(text)}


def treated(question: str) -> set[str]:
    """The words of what a 'how does X treat Y?' question asks about (Y), 'general-purpose
    AI' said as the pages head it ('GPAI'); empty for any other question."""
    asked = TREATS_Q.search(question)
    subject = asked and (asked["subject"] or asked["treated"] or asked["about"])
    return words(GPAI.sub("GPAI ", subject)) if subject else set()


def heads(heading: str, title: str, subject: set[str]) -> int:
    """How many of a section heading's own words ('open-source GPAI models' in 'Articles 53(2)
    and 54(6): ...', less the page title's and the provision numbers) the subject holds: 0
    unless it holds all of them, or two."""
    own = {w for w in words(heading) - words(title) if not w.isdigit()} - {
        "article", "recital", "model", "ai", "open", "source"}
    hit = own & subject
    return len(hit) if own and (hit == own or len(hit) >= 2) else 0


FILLER = {"do", "does", "did", "is", "are", "was", "were", "the", "a", "an"}
# a test's verbs said another way: 'which models meet the definition?' asks which passed
PASSED = {w: "passed" for w in ("pass", "passes", "meet", "meets", "met", "satisfy",
                                "satisfies", "satisfied", "qualify", "qualifies", "qualified")}
# the domain's words for what is asked about: 'which models' and 'which AI systems' ask alike
GENERIC = {"ai", "model", "models", "system", "systems"}


def restates(heading: str, question: str) -> int:
    """How many words of a question-like heading ('Which models passed: the validation
    results') the question opens with, fillers aside ('Which AI systems passed ...?'); 0
    unless it opens with the whole phrase before any colon, of three words or more."""
    phrase = re.split(r"[:?]", heading)[0]
    if not re.match(r"(which|what|who|why|how|when|where)\b", phrase, re.I):
        return 0
    heard = re.findall(r"[a-z0-9]+", phrase.lower())
    said = [w for w in heard if w not in FILLER | GENERIC]
    asked = [PASSED.get(w, w) for w in re.findall(r"[a-z0-9]+", question.lower())
             if w not in FILLER | GENERIC]
    return len(said) if len([w for w in heard if w not in FILLER]) >= 3 and len(said) >= 2 \
        and asked[:len(said)] == said else 0


def in_paragraphs(text: str, n: int = 1) -> list[post.Sentence]:
    """A section's text as sentences cited to passage n, each paragraph after the first
    starting on a new line and list items on their own."""
    said: list[post.Sentence] = []
    for block in PARAGRAPH.split(text):
        for i, piece in enumerate(post.split(block)):
            item = bool(post.LIST_ITEM.match(piece))
            said.append(post.Sentence(("\n\n" if said and i == 0 and not item else "") + piece,
                                      (n,), item))
    return said


# a sentence that says how two things differ
CONTRAST = re.compile(r"\b(differs? from|unlike|by contrast|whereas|in contrast)\b", re.I)
# "How do open and closed models compare on cost?": the two sides named
SIDES_Q = re.compile(r"\bopen\b.{0,40}\bclosed\b|\bclosed\b.{0,40}\bopen\b", re.I)
COMPARE_Q = re.compile(r"\b(compare\w*|difference|differ\w*|versus|vs\.?|better than|"
                       r"between\b.+\band\b|unlike|whereas)\b", re.I)


def question_shape(question: str, subjects: int = 0) -> str:
    """plain | yes_no | list | comparison: what the answer must look like."""
    from app.intent import YES_NO

    if COMPARE_Q.search(question) or subjects > 1:
        return "comparison"
    if YES_NO.search(question):
        return "yes_no"
    if LIST_Q.search(question):
        return "list"
    return "plain"


# "When did OpenAI release gpt-oss, and when had it last released open weights before that?":
# a second question after ", and"
NEXT_ASK = re.compile(r",\s*and\s+(?=(?:when|what|how|which|who|where|why|is|are|was|were|does|"
                      r"do|did|can|has|have|had)\b)", re.I)
PRONOUN = re.compile(r"\b(it|they|them)\b|\b(its|their)\b", re.I)
RELATIVE = re.compile(r"\b(before|after|since|until) (that|then|this)\b", re.I)


def asks(question: str) -> list[str]:
    """The questions one question asks: two when a second follows ', and when/what/is…' (a
    comparison with the first is one question)."""
    match = NEXT_ASK.search(question)
    if match is None:
        return [question]
    head, tail = question[:match.start()].strip(), question[match.end():].strip()
    if len(head.split()) < 3 or len(tail.split()) < 3 or COMPARE_Q.search(tail):
        return [question]
    return [head.rstrip("?") + "?", tail[:1].upper() + tail[1:]]


def carried(part: str, first: str, cat) -> str:
    """The second of two asks with what it points back to in the first spelled out: 'When
    had it last released…' -> 'When had OpenAI last released…' (the first name the first ask
    links), 'the framework' -> 'the Model Openness Framework' (a name the first ask spells)."""
    from app.entities import strip_parens

    spelled = [re.sub(r"^(What|When|Which|Who|How|Why|Where|Is|Are|Does|Do|Did|Can|Was|Were)\s+",
                      "", phrase)
               for phrase in re.findall(r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)+", first)]
    for phrase in spelled:
        noun = phrase.split()[-1]
        part = re.sub(rf"\bthe {re.escape(noun)}\b", f"the {phrase}", part, flags=re.I)
    names = [strip_parens(group[0].name) for group in cat.mentions(first)
             if group[0].type in ("model", "family", "licence", "developer")]
    name = names[0] if names else (spelled[-1] if spelled else "")
    return PRONOUN.sub(lambda m: name if m.group(1) else f"{name}'s", part) if name else part


def renumbered(text: str, numbers: dict[int, int]) -> str:
    """A rendered answer's citations '[n]' as numbers[n]."""
    return re.sub(r"\[(\d{1,2})\]", lambda m: f"[{numbers.get(int(m.group(1)), m.group(1))}]",
                  text)


class Answerer:
    """Keeps the retriever and the chat model loaded across questions."""

    def __init__(self, settings: Settings, retriever: Retriever | None = None,
                 backend: Backend | None = None):
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self._backend = backend
        from app.entities import catalogue

        catalogue(settings.corpus_dir)  # built once here, not on the first question

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            self._backend = get_backend(self.settings)
        return self._backend

    def messages(self, question: str, passages: list[Passage], shape: str = "plain"
                 ) -> list[tuple[str, str]]:
        """The exact chat the model sees (fixed system prompt first, for KV-cache reuse)."""
        how, cue = prompts.SHAPES[shape]
        user = prompts.USER.format(
            passages=format_passages(passages, question, keep_lists=shape == "list",
                                     budget=self.settings.passage_chars),
            question=question, shape=how, cue=cue)
        return [("system", prompts.SYSTEM), ("human", user)]

    def rewrite(self, question: str, history: list[Turn]) -> str:
        """A follow-up becomes a standalone question; a first question passes unchanged."""
        if not history or stands_alone(question, self.settings.corpus_dir):
            return question
        swapped = swapped_subject(question, history, self.settings.corpus_dir)
        if swapped is not None:
            return swapped
        if self._asks_a_fact(question, history):  # 'Do I need to credit Alibaba?' after a
            return with_subject(question, history, self.settings.corpus_dir,  # Qwen question
                                as_written=True)
        from langchain_core.output_parsers import StrOutputParser
        from langchain_core.prompts import ChatPromptTemplate

        chain = (ChatPromptTemplate.from_messages([("human", prompts.REWRITE)])
                 | self.backend.chat | StrOutputParser())
        lines = "\n".join(f"{t.role}: {t.content[:600]}" for t in history[-6:])
        out = chain.invoke({"history": lines, "question": question}).strip().splitlines()
        rewritten = out[0].strip() if out else ""
        if len(rewritten.split()) < 3 or post.NO_ANSWER.match(rewritten):
            # a rewrite that failed: the last question asked, then this one
            last = next((t.content for t in reversed(history) if t.role == "user"), "")
            rewritten = f"{last} {question}".strip()
        kept = keeps_what_it_names(question, rewritten, self.settings.corpus_dir)
        # the follow-up as asked, or a rewrite that still says 'it' ('What would it need to
        # qualify as open source?'): the name asked about before, added
        return with_subject(kept, history, self.settings.corpus_dir) if (
            kept == question or PRONOUN.search(kept)) else kept[:1000]

    def _asks_a_fact(self, question: str, history: list[Turn]) -> bool:
        """A follow-up that asks a table fact on its own ('Which licence?', 'Is its training
        data published?') and names nothing: the name asked about before is enough, no
        model rewrite (which had turned 'Which licence?' into a question about the licence
        of OLMo 2's training data)."""
        from app.entities import catalogue
        from app.intent import detect

        cat = catalogue(self.settings.corpus_dir)
        return (not CHANGES_ASK.search(question) and detect(question) is not None
                and not any(e.type in SUBJECTS for e in cat.link(question))
                and bool(named_before(history, cat)))

    def stream(self, question: str, history: list[Turn] | None = None, k: int | None = None,
               kind: Kind | None = None, strict: bool = True, split: bool = True
               ) -> Iterator[Token | Answer]:
        """Yield the answer's sentences as each passes its checks, then the checked Answer:
        rewrite -> entities -> passages -> scope gate -> fact / list answer from the tables,
        or a written answer from the model, checked sentence by sentence."""
        from app.entities import catalogue

        start = time.perf_counter()
        asked, dropped = drop_instructions(question)
        standalone = self.rewrite(asked, history or [])
        answer = Answer(question=question, standalone_question=standalone, text="",
                        timings=Timings(rewrite_ms=(time.perf_counter() - start) * 1000))
        cat = catalogue(self.settings.corpus_dir)
        linked = cat.link(standalone)
        answer.entities = [e.id for e in linked]
        answer.passages = self.retriever.search(standalone, k=k, kind=kind)
        answer.timings.retrieval_ms = self.retriever.last_ms
        settled = self.without_model(answer, history or [], linked, cat, kind, start)
        if settled is None and split:
            settled = self.in_parts(answer, asks(standalone), cat, k, kind, strict, start)
        if settled is None:
            yield from self.written(answer, linked, cat, k, strict, dropped, start)
            return
        if dropped:  # a fact, list or definition answer ignored it too: say so
            settled.note = " ".join(filter(None, [settled.note, prompts.IGNORED]))
        if not settled.abstained:
            yield Token(text=settled.text)
        yield settled

    def in_parts(self, answer: Answer, parts: list[str], cat, k: int | None,
                 kind: Kind | None, strict: bool, start: float) -> Answer | None:
        """Two questions in one, which the model answers as one and so answers half of: each
        answered on its own (the second with what it points back to spelled out), joined,
        their passages numbered as one list. None when it asks one thing, when the second
        still says 'it' or 'they', or when a part goes unanswered: the model gets it whole."""
        if len(parts) < 2:
            return None
        parts = [parts[0], *(carried(part, parts[0], cat) for part in parts[1:])]
        if any(PRONOUN.search(part) or RELATIVE.search(part) for part in parts[1:]):
            return None  # 'they' unresolved; 'before that' is about the first ask's answer
        said = [self.ask(part, [], k=k, kind=kind, strict=strict, split=False)
                for part in parts]
        if not all(sub.citations and not sub.abstained for sub in said):
            return None
        passages: list[Passage] = []
        texts = []
        for sub in said:
            numbers = {p.n: numbered(passages, p) for p in sub.passages if p.n in sub.citations}
            texts.append(renumbered(sub.text, numbers))
        written = next((sub for sub in said if sub.backend not in ("", "facts")), said[0])
        answer.text, answer.passages = "\n\n".join(texts), passages
        answer.citations = [p.n for p in passages]
        answer.backend, answer.model, answer.note = written.backend, written.model, written.note
        answer.entities = list(dict.fromkeys(e for sub in said for e in sub.entities))
        answer.removed = [r for sub in said for r in sub.removed]
        answer.raw_citations = [n for sub in said for n in sub.raw_citations]
        answer.timings.retrieval_ms += sum(sub.timings.retrieval_ms for sub in said)
        answer.timings.total_ms = (time.perf_counter() - start) * 1000
        answer.timings.first_token_ms = answer.timings.total_ms  # all of it at once
        return answer

    def without_model(self, answer: Answer, history: list[Turn], linked: list, cat,
                      kind: Kind | None, start: float) -> Answer | None:
        """What code can settle alone: a declined question, a fact answer from the tables, a
        list answer from a document's items. None: the model must write the answer."""
        from app import facts, scope
        from app.intent import ASSUMES, YES_NO, detect

        question, passages = answer.standalone_question, answer.passages
        best = max((p.score for p in passages), default=0.0)
        context_q = " ".join([question, *(t.content for t in history if t.role == "user")][-3:])
        gate = scope.creative_request(question) or scope.off_topic(
            context_q, linked or cat.link(context_q), best, self.settings.scope_min_score)
        if gate is not None or best < self.settings.min_score:
            reason = gate.reason if gate else "no passage is close enough to the question"
            return self._abstain(answer, reason, start)
        mine = cat.sources_of(linked)
        context = " ".join(p.text for p in passages if not mine or p.source_id in mine)
        intent = detect(question)
        asked = self._unsupported(question, context, intent, first=True)
        if asked is not None:
            # "What was xAI's valuation when it released Grok 2?" asks a figure, not the date
            return self._abstain(answer, asked.reason, start)
        variant = scope.unknown_variant(question, cat.text)
        if variant is not None:  # 'SDXL Turbo': not SDXL's row
            return self._abstain(answer, variant.reason, start)
        draft = facts.plan(question, linked, cat, cat.facts)
        if draft is not None and kind in (None, "licence", "model"):
            fact_answer = self._from_draft(answer, draft, start)
            if fact_answer is not None:
                return fact_answer
        figure = (self._figure_answer(answer, mine, start)
                  or self._both_answer(answer, linked, cat, start)
                  or self._example_answer(answer, cat, start)
                  or self._who_answer(answer, linked, start)
                  or self._event_answer(answer, linked, cat, start)
                  or self._labelled_answer(answer, start))
        if figure is not None:
            return figure
        if question_shape(question) == "list" and kind in (None, "article"):
            listed = self._list_answer(answer, cat, start)
            if listed is not None:
                return listed
        if not YES_NO.search(question) or not any(
                e.type in ("model", "licence", "family") for e in linked):
            item = self._item_answer(answer, cat, start)  # a yes/no about an argument too
            if item is not None:
                return item
        if HARMFUL.search(question) and kind in (None, "article"):  # 'closed models are
            listed = self._list_answer(answer, cat, start)  # risky': the case for open ones
            if listed is not None:
                return listed
        if COMPARE_Q.search(question) and not any(
                e.type in ("model", "licence", "family") for e in linked):
            section = (self._section_answer(answer, start) or self._factor_answer(answer, start)
                       or self._contrast_answer(answer, start))
            if section is not None:
                return section
        said = (self._provision_answer(answer, start)  # 'What does Article 53(1) require?'
                or self._treats_answer(answer, start)
                or self._heading_answer(answer, start))
        if said is not None:
            return said
        if LISTED_Q.search(question) and not YES_NO.search(question):
            bullets = self._bullets_answer(answer, start)
            if bullets is not None:
                return bullets
        if LIFTED_Q.search(question) and ASSUMES.search(question):
            kept = self._still_answer(answer, start)
            if kept is not None:
                return kept
        defined = self._definition_answer(answer, linked, start)
        if defined is not None:
            return defined
        gate = (scope.unlisted_release(question, cat.unknown_version(question),
                                       intent.kind if intent else None)
                or scope.unknown_name(question, linked, " ".join(
                    [cat.text, *(p.text.lower() for p in passages)]))
                or self._unsupported(question, context, intent)
                or scope.unexplained_motive(question, context))
        return self._abstain(answer, gate.reason, start) if gate else None

    @staticmethod
    def _unsupported(question: str, context: str, intent, first: bool = False
                     ) -> Verdict | None:
        """A figure or forecast the passages cannot give, except a money word in a licence
        question ('Can I charge customers for an app built on Falcon 180B?' asks about use)
        and, before the fact answers are tried (`first`), what a licence costs, which its
        fee fact may answer ('How much does it cost to use Llama 3.1?': royalty-free)."""
        from app import scope
        from app.intent import LICENCE_INTENTS

        asked = scope.unsupported_ask(question, context)
        use = intent is not None and intent.kind in LICENCE_INTENTS
        fee = intent is not None and intent.kind == "fee"  # a per-token price is no fee
        excused = ("money", "cost") if fee and first else ("money",) if fee else (
            "money", "price")
        return None if asked and use and asked.what in excused else asked

    def written(self, answer: Answer, linked: list, cat, k: int | None, strict: bool,
                dropped: bool, start: float) -> Iterator[Token | Answer]:
        """The model writes; each sentence streams once it passes the checks."""
        question, timings = answer.standalone_question, answer.timings
        passages = answer.passages = self.focus(question, answer.passages, linked, cat,
                                                k or self.settings.k)
        subjects = len([m for m in cat.mentions(question)
                        if any(e.type in ("model", "family") for e in m)])
        shape = question_shape(question, subjects)
        if shape == "yes_no" and not self.settings.written_verdicts:
            specific = [e for e in linked if e.type in ("model", "licence", "family")]
            mine = cat.on_topic(specific) if specific else None  # quotes about what it names
            passages = answer.passages = passages + self._clauses(question, passages, mine)
            quoted = self._quoted(answer, start, [p for p in passages
                                                  if mine is None or p.source_id in mine])
            yield Token(text=quoted.text)
            yield quoted
            return
        backend = self.backend
        answer.backend, answer.model = backend.name, backend.model
        answer.note = " ".join(filter(None, [backend.note, prompts.IGNORED if dropped else ""]))
        result = post.Result()
        steps = self.steps(question, passages, strict, cat.licence_names, cat.makers,
                           cat.access)
        messages = self.messages(question, passages, shape)
        said_no, lead = False, None
        try:
            if shape == "yes_no" and backend.structured is not None:
                reply = backend.structured(messages, prompts.VERDICT_SCHEMA,
                                           self.settings.max_tokens)
                timings.first_token_ms = (time.perf_counter() - start) * 1000
                verdict, reason = str(reply.get("verdict")), str(reply.get("reason", ""))
                said_no = verdict not in prompts.VERDICT_WORDS
                if post.verdict_conflict(verdict, reason, question):  # a wrong yes: none
                    answer.removed.append(f"verdict: {verdict} contradicts its reason")
                else:
                    lead = post.Sentence(prompts.VERDICT_WORDS.get(verdict, ""))
                    answer.verdict = verdict
                pieces: Iterator[str] = iter([] if said_no else [reason])
            else:
                chunks = (c.content for c in backend.chat.stream(messages) if c.content)
                pieces = post.completed(self._first_token(chunks, timings, start))
            shown = 0  # sentences the user has read: never retracted
            for piece in pieces:
                sentences, raw = post.parse(piece)
                result.raw_citations += raw
                if not result.kept and sentences and post.NO_ANSWER.match(sentences[0].text):
                    said_no = True
                    break
                before = len(result.kept)
                post.run(sentences, steps, result)
                if len(result.kept) > before:
                    if lead is not None and before == 0:
                        result.kept.insert(0, lead)
                    self._drop_dangling(result, final=False)
                    ready = post.settled(result.kept)
                    if ready > shown:
                        text = post.render(result.kept[shown:ready])
                        yield Token(text=(" " if shown and not text.startswith("\n") else "")
                                    + text)
                        shown = ready
            self._drop_dangling(result, final=True)
        except Exception as exc:  # any transport failure of any backend ends up here
            raise BackendUnavailable(
                f"the {backend.name} model ({backend.model}) stopped answering: "
                f"{exc.__class__.__name__}: {str(exc)[:200]}; try again"
            ) from exc
        answer.text = post.render(result.kept)
        answer.citations = sorted({n for s in result.kept for n in s.cites})
        answer.removed += [f"{step}: {text}" for step, text in result.removed]
        answer.raw_citations = result.raw_citations
        if said_no or not answer.text:
            invented = any(step == "figures" for step, _ in result.removed)
            reason = ("its figures are in none of the passages" if invented and not said_no
                      else "the passages do not answer it")
            yield self._abstain(answer, reason, start)
        elif not answer.citations:
            yield self._abstain(answer, "the answer could not be tied to a source", start)
        else:
            timings.total_ms = (time.perf_counter() - start) * 1000
            yield answer

    @staticmethod
    def _drop_dangling(result: post.Result, final: bool) -> None:
        result.kept, dropped = post.without_dangling_leads(result.kept, final)
        result.removed += [("dangling lead-in", s.text) for s in dropped]

    @staticmethod
    def _first_token(chunks: Iterator[str], timings: Timings, start: float) -> Iterator[str]:
        for chunk in chunks:
            if timings.first_token_ms is None:
                timings.first_token_ms = (time.perf_counter() - start) * 1000
            yield chunk

    @staticmethod
    def steps(question: str, passages: list[Passage], strict: bool,
              licences: dict[str, str] | None = None,
              makers: tuple[dict[str, set[str]], set[str]] | None = None,
              access: dict[str, str] | None = None) -> list[tuple[str, post.Step]]:
        """The checks every sentence of a written answer passes, in order; `licences` maps
        each licence name to its id, `makers` each model name to its developers (with every
        developer's name), `access` each model name to how its weights are reached."""
        from app.entities import norm

        allowed = post.figures(question).union(*(post.figures(plain(p.text)) for p in passages))
        texts = {p.n: plain(p.text) for p in passages}
        steps = [("empty", post.drop_empty), ("quote marks", post.unquoted),
                 ("source talk", post.drop_source_talk),
                 ("invalid citation", post.valid_citations({p.n for p in passages})),
                 ("attribute", post.attribute({p.n: p.text for p in passages})),
                 ("figures", post.known_figures(allowed)), ("unfinished", post.finished),
                 ("no limits", post.stated_absolutes(" ".join(texts.values()))),
                 ("licence claim", post.licence_attributions(licences or {}, texts, norm)),
                 ("developer claim", post.developer_attributions(*(makers or ({}, set())),
                                                                 norm)),
                 ("access claim", post.access_claims(access or {}, norm))]
        return steps + ([("uncited", post.require_citation)] if strict else [])

    def focus(self, question: str, passages: list[Passage], linked: list, cat, k: int
              ) -> list[Passage]:
        """Keep the passages on the entities asked about: a passage about another model or
        licence gives way, and each entity named gets its own best passage."""
        specific = [e for e in linked if e.type in ("model", "licence", "family")]
        if not specific:
            return passages
        mine = cat.on_topic(specific)  # a model's licence is on topic too
        kept = [p for p in passages if p.source_id in mine or not (cat.owner(p.source_id))]
        have = {p.source_id for p in kept}
        wanted = []
        for e in specific:
            if not have & e.sources:
                wanted += [(sid, "") for sid in sorted(e.sources)[:2]]
        extra = [p for p in self.retriever.from_sources(question, wanted) if p] if wanted else []
        out = (extra + kept)[:k] if extra else kept[:k]
        out = [p.model_copy() for p in out]
        for n, p in enumerate(out, 1):
            p.n = n
        return out

    def _clauses(self, question: str, passages: list[Passage], mine: set[str] | None,
                 most: int = 12) -> list[Passage]:
        """The licence-text chunks of what the question names that bear most on it, beyond
        the passages retrieved, numbered after them: 'make decisions about loans' with BLOOM
        gets its licence's clause on automated decision making, which ranked below the top k
        (sixth among the licence's own chunks: too few taken, it came and went)."""
        texts = sorted(s for s in mine or () if s.startswith("licence:"))
        have = {p.id for p in passages}
        more = sorted((c for c in self.retriever.chunks(question, texts) if c.id not in have),
                      key=lambda c: -c.score)[:most]
        return [c.model_copy(update={"n": len(passages) + i}) for i, c in enumerate(more, 1)]

    def _quoted(self, answer: Answer, start: float, pool: list[Passage], most: int = 2
                ) -> Answer:
        """A yes/no question the tables cannot settle: no verdict (the bundled model's were
        right 8 times in 31 on the gold set), but the sentences of the pool's passages (those
        about what the question names) that bear on it, quoted and cited, for the user to
        read."""
        lines = [post.Sentence(f"- “{text}”", (n,), item=True)
                 for n, text in telling(pool, answer.standalone_question, most)]
        if not lines:  # nothing to quote: a lead-in alone would read as an answer
            return self._abstain(answer, "no passage says anything about it", start)
        head = post.Sentence("Faultline's tables do not settle this, so it gives no yes or no; "
                             "this is what the sources say (read the clause before relying on "
                             "it):")
        answer.text = post.render([head, *lines])
        answer.citations = [s.cites[0] for s in lines]
        answer.abstained, answer.reason = True, "no verdict: the tables do not hold this fact"
        answer.timings.total_ms = (time.perf_counter() - start) * 1000
        answer.timings.first_token_ms = answer.timings.total_ms
        return answer

    def _list_answer(self, answer: Answer, cat, start: float) -> Answer | None:
        """A list question whose best passages come from a document that lists items (the
        arguments for open models, the OSI definition's requirements): every item, each with
        its first sentence and its section cited. No model call, nothing left out."""
        asked = answer.standalone_question
        listing = [p for p in answer.passages if p.source_id in cat.items]
        other = case_for(asked)  # 'the arguments against open models': the case for closed
        case = [s for s in cat.items if other and f"for-{other}" in s]
        # a list page the question names by three words or more of its own name ('the
        # reasons developers give for releasing open weights'), before a case it may also
        # seem to ask for ('for ... open')
        cut = {w[:6] for w in post.content_words(asked)}
        own = {s: {w[:6] for w in s.split("-")} - PAGE_WORDS - {"argume", "why"}
               for s, (_, when, _) in cat.items.items() if when and re.search(when, asked)}
        named = sorted((s for s, ws in own.items() if len(ws) >= 3 and ws <= cut),
                       key=lambda s: -len(own[s]))
        # a page whose subject the question names ('the Open Source AI Definition'), however
        # its passages ranked
        pages = named or case or [s for s, (*_, subject) in cat.items.items()
                                  if subject and re.search(subject, asked)]
        # 'why would a company choose a closed model?': the list page whose name the
        # question holds ('closed'), for a list question that page answers
        pages = pages or [s for s, (_, when, _) in cat.items.items()
                          if when and re.search(when, asked)
                          and {w[:6] for w in s.split("-")} - PAGE_WORDS - {"argume"} <= cut]
        if not listing and not pages:
            return None
        words = post.content_words(asked)  # 'arguments for keeping models closed': that page
        source = pages[0] if pages else max(
            listing, key=lambda p: len(post.content_words(p.title) & words)).source_id
        items, when, _ = cat.items[source]
        title = next((p.title for p in listing if p.source_id == source), source).lower()
        stems = {w[:6] for item in items for w in re.findall(r"[a-z]{4,}",  # the page's own
                                                             item.split(":")[-1].lower())} - {
            w[:6] for w in re.findall(r"[a-z]{4,}", title)}  # words name no item in particular
        unlisted = re.sub(when, " ", asked) if when else asked  # the words that ask for the
        # list ('check a model licence') name no item of it
        named = {w[:6] for w in re.findall(r"[a-z]{4,}", unlisted.lower())} | safety_asked(
            asked)  # 'the dangers': the safety one
        if not (re.search(when, asked) or case) or stems & named:
            return None  # another list of that document, or one of its items in particular
        chunks = self.retriever.chunks(answer.standalone_question, [source])
        passages, sentences = [], []
        for item in items:
            own = [c for c in chunks if c.section.split(" > ")[-1].endswith(item)]
            if not own:
                continue
            p = own[0].model_copy(update={"n": len(passages) + 1})
            passages.append(p)
            label = re.sub(r"^\d+\.\s*", "", item)  # '1. Identify ...': the list numbers it
            sentences.append(post.Sentence(f"- {label}: {gist(p.body, item)}", (p.n,),
                                           item=True))
        if len(passages) < 2:
            return None
        if case:
            sentences.insert(0, post.Sentence(
                f"The case against {case_against(asked)} models is the case made for "
                f"{other} ones ({passages[0].title}):"))
        return self._from_knowledge_base(answer, start, passages, sentences)

    def _item_answer(self, answer: Answer, cat, start: float, top: int = 3,
                     most: int = 3) -> Answer | None:
        """A question about one to three items of a listing page ('the safety arguments for
        keeping models closed', 'the auditability argument, and the catch', 'why it matters
        for regulation and competition between countries'): each item's section, its
        argument and counter-argument (or its first sentences), in the page's words. A yes/no
        question that claims 'always' leads with 'Not always.' when the item has a
        counter-argument. No model call."""
        from app.intent import YES_NO

        asked = answer.standalone_question
        ask = stems(asked) | safety_asked(asked)
        words = {w[:6] for w in post.content_words(asked)}
        pages = [source for source in cat.items  # a page the question names: 'arguments for
                 if {w[:6] for w in source.split("-")} - PAGE_WORDS <= words]  # closed models'
        if HARMFUL.search(asked):  # 'open models are dangerous': the case for closed ones
            pages = [s for s in cat.items if f"for-{case_for(asked)}" in s] + pages
        # a page whose subject the question names ('why did Meta release ...?'), however its
        # passages ranked: one item of it asked about alone is answered from its opening
        subject = [s for s, (*_, about) in cat.items.items() if about and re.search(about, asked)]
        for source in dict.fromkeys([p.source_id for p in answer.passages[:top]] + subject
                                    + pages):
            if source not in cat.items:
                continue
            items, when, _ = cat.items[source]
            title = next((p.title for p in answer.passages if p.source_id == source), "")
            own_words = ask - stems(title)  # the page's title names no item in particular
            named = [item for item in items if stems(item.split(":")[-1]) & own_words]
            spelt = any(len(stems(item.split(":")[-1]) & own_words) >= 3 for item in named)
            # 'more resilient, with no single point of control' names one
            if not (re.search(when, asked) or ITEM_Q.search(asked) or YES_NO.search(asked)
                    or spelt or HARMFUL.search(asked)):
                continue
            if not named and UNIVERSAL.search(asked):  # 'always cheaper?': the item of the
                named = [item for p in answer.passages[:top] if p.source_id == source  # best
                         for item in items if p.section.split(" > ")[-1].endswith(item)][:1]
            if not 1 <= len(named) <= most:
                continue
            chunks = self.retriever.chunks(asked, [source])
            passages, sentences = [], []
            for item in named:
                own = [c for c in chunks if c.section.split(" > ")[-1].endswith(item)]
                # an argued section in its labelled paragraphs; a section that argues nothing
                # only in its opening, and only beside another item or for a yes/no (one
                # such section asked about on its own is the model's to write)
                said = section_gist(own[0].body) if own else []
                if own and not said and (len(named) > 1 or YES_NO.search(asked)
                                         or source in subject):
                    said = opening(own[0].body)
                if not said:
                    continue
                passage = own[0].model_copy(update={"n": len(passages) + 1})
                passages.append(passage)
                sentences += [post.Sentence(f"{item} ({passage.title}):"),
                              *[post.Sentence(text, (passage.n,)) for text in said]]
            if len(passages) != len(named):
                continue
            if UNIVERSAL.search(asked) and any(s.text.lower().startswith("counter")
                                               for s in sentences):
                sentences.insert(0, post.Sentence("Not always."))
            return self._from_knowledge_base(answer, start, passages, sentences)
        return None

    def _section_answer(self, answer: Answer, start: float, top: int = 3,
                        most: int = 10) -> Answer | None:
        """Two terms compared ('open-weight and open-source models') where a page has a
        section on just that ('Open source versus open weight'): that section, in the page's
        words, cited. No model call."""
        asked = stems(answer.standalone_question)
        sources = list(dict.fromkeys(p.source_id for p in answer.passages[:top]))
        for p in self.retriever.chunks(answer.standalone_question, sources):
            heading = stems(p.section.split(" > ")[-1]) - {"versus", "vs", "compar", "differ"}
            if len(heading) >= 2 and heading <= asked and re.search(
                    r"\b(versus|vs\.?|and|or)\b", p.section, re.I):
                return self._whole_section(answer, start, p, most)
        return None

    def _factor_answer(self, answer: Answer, start: float, top: int = 2,
                       most: int = 10) -> Answer | None:
        """Open and closed models compared on one factor ('on cost') that a section sets out
        side by side ('**Closed:** ... **Open weight:** ...'): that section whole, in the
        page's words. The model had swapped the two sides."""
        asked = stems(answer.standalone_question)
        if not SIDES_Q.search(answer.standalone_question):
            return None
        for p in answer.passages[:top]:
            heading = stems(p.section.split(" > ")[-1]) - stems(p.title)
            whole = next((c for c in self.retriever.chunks(answer.standalone_question,
                                                           [p.source_id])
                          if c.section == p.section), p)  # not the part focused on
            if heading & asked and all(re.search(rf"\*\*{side}[^*]*:?\*\*", whole.body, re.I)
                                       for side in ("closed", "open")):
                return self._whole_section(answer, start, whole, most)
        return None

    def _whole_section(self, answer: Answer, start: float, p: Passage, most: int) -> Answer:
        """A section answered in the page's words, paragraph by paragraph, cited to it (every
        section fits one chunk: tests/test_corpus.py)."""
        return self._from_knowledge_base(answer, start, [p.model_copy(update={"n": 1})],
                                         in_paragraphs(plain(p.body))[:most])

    def _provision_answer(self, answer: Answer, start: float, top: int = 3, most: int = 10
                          ) -> Answer | None:
        """'What does Article 2(12) of the AI Act say?': the section headed by that provision,
        in the page's words; else the paragraphs of the best pages that name it, each under
        its section's heading. Cited, no model call (the model mixed up 53(2) and 54(6))."""
        cited = provision(answer.standalone_question)
        if cited is None:
            return None
        sources = list(dict.fromkeys(p.source_id for p in answer.passages[:top]))
        chunks = self.retriever.chunks(answer.standalone_question, sources)
        headed = [p for p in chunks if cited.search(p.section.split(" > ")[-1])]
        if headed:
            return self._whole_section(answer, start, headed[0], most)
        passages, sentences = [], []
        for chunk in chunks:
            stated = naming(plain(chunk.body), cited)
            if not stated or len(passages) == 2:
                continue
            p = chunk.model_copy(update={"n": len(passages) + 1})
            passages.append(p)
            sentences += [post.Sentence(("\n\n" if sentences else "")
                                        + f"{p.section.split(' > ')[-1]}:"),
                          *in_paragraphs("\n\n".join(stated), p.n)]
        return self._from_knowledge_base(answer, start, passages, sentences) if passages \
            else None

    def _treats_answer(self, answer: Answer, start: float) -> Answer | None:
        """'How does the EU AI Act treat open-source AI systems?': the section of the best
        pages whose heading names just that subject, in the page's words, cited. No model call
        (the model turned Article 2(12)'s exceptions into what it exempts)."""
        subject = treated(answer.standalone_question)
        if not subject:
            return None
        return self._best_section(answer, start, lambda p: heads(
            p.section.split(" > ")[-1], p.title, subject), top=3)

    def _heading_answer(self, answer: Answer, start: float) -> Answer | None:
        """A question that restates a section's question-like heading ('Which models passed
        when the OSI tested it?' and 'Which models passed: the validation results'): that
        section, in the page's words, cited. No model call."""
        return self._best_section(answer, start, lambda p: restates(
            p.section.split(" > ")[-1], answer.standalone_question), top=5)

    def _best_section(self, answer: Answer, start: float, fit: Callable[[Passage], int],
                      top: int, most: int = 10) -> Answer | None:
        """The section of the best `top` passages' pages that `fit` scores highest (ties to
        the closer one), whole; None when it scores nothing anywhere."""
        sources = list(dict.fromkeys(p.source_id for p in answer.passages[:top]))
        ranked = [(fit(p), p.score, p)
                  for p in self.retriever.chunks(answer.standalone_question, sources)]
        best = max(ranked, default=None, key=lambda r: r[:2])
        return self._whole_section(answer, start, best[2], most) if best and best[0] else None

    def _contrast_answer(self, answer: Answer, start: float, top: int = 3,
                         most: int = 4) -> Answer | None:
        """Two things compared ('the AI Act's test and the OSI's definition') where a
        paragraph of the best pages says how they differ ('the Act's test differs from the
        OSI's'): that paragraph from its contrast sentence on, in the page's words, cited."""
        asked = stems(answer.standalone_question) - {"differ", "compar", "versus"}
        sources = list(dict.fromkeys(p.source_id for p in answer.passages[:top]))
        best = None
        for p in self.retriever.chunks(answer.standalone_question, sources):
            for block in re.split(r"\n\s*\n", plain(p.body)):
                said = post.split(block)
                for i, sentence in enumerate(said):
                    shared = len((stems(sentence) - stems(p.title)) & asked)
                    if CONTRAST.search(sentence) and shared >= 2 and (
                            best is None or shared > best[0]):
                        best = (shared, p, said[i:i + most])
        if best is None:
            return None
        _, p, said = best
        return self._from_knowledge_base(answer, start, [p.model_copy(update={"n": 1})],
                                         [post.Sentence(text, (1,)) for text in said])

    def _bullets_answer(self, answer: Answer, start: float, top: int = 3) -> Answer | None:
        """A list question one of the best passages answers with a bulleted list ('A typical
        open-weight release contains:', 'two obligations in Article 53(1) remain:'): that
        list whole, each item cited, without a model call."""
        asked = stems(answer.standalone_question)
        best = None
        for p, lead, items in self._page_lists(answer, top):
            heading = p.section.split(" > ")[-1]
            heard = len(stems(" ".join([heading, lead, *items])) & asked)
            # the list's own heading or lead-in names what is asked, beyond the page's subject
            # ('the Model Openness Framework' is the page; 'its highest class' is the ask)
            aspect = (stems(heading + " " + lead) - stems(p.title)) & asked
            # its heading naming the ask counts most ('No monetisation' for 'what counts as
            # monetisation', over a lead-in that says 'exemption')
            named = len((stems(heading) - stems(p.title)) & asked)
            rank = (named + len(aspect), heard)
            if heard >= 2 and aspect and (best is None or rank > best[0]):
                best = (rank, p, lead, items)
        if best is None:
            return None
        _, p, lead, items = best
        return self._from_knowledge_base(answer, start, [p.model_copy(update={"n": 1})],
                                         listed(lead, items))

    def _page_lists(self, answer: Answer, top: int) -> Iterator[tuple[Passage, str, list[str]]]:
        """(passage, lead-in, items) of every bulleted list of the pages the best passages
        come from: the list asked for may rank below other passages of its page ('What
        providers must still do')."""
        sources = list(dict.fromkeys(p.source_id for p in answer.passages[:top]))
        for p in self.retriever.chunks(answer.standalone_question, sources) or answer.passages:
            found = bulleted(p.body)
            if found is not None:
                yield p, *found

    def _figure_answer(self, answer: Answer, mine: set[str], start: float,
                       most: int = 2) -> Answer | None:
        """A figure asked for (a cost, a score, GPU hours) that a passage about the entity
        asked about states: the sentences that hold such a figure and share the question's
        words, quoted in the page's words and cited. No model call."""
        from app.scope import ASKS_FOR

        question = answer.standalone_question
        evidence = [ev for _, asks, ev in ASKS_FOR if asks.search(question)]
        if not evidence:
            return None
        asked = post.content_words(question)
        found = []
        for p in answer.passages:
            if mine and p.source_id not in mine:
                continue
            for sentence in post.split(plain(p.text)):
                shared = len(post.content_words(sentence) & asked)
                if shared >= 2 and any(ev.search(sentence) for ev in evidence):
                    found.append((shared, p, sentence))
        if not found:
            return None
        found.sort(key=lambda f: -f[0])
        passages: list[Passage] = []
        sentences = [post.Sentence(sentence, (numbered(passages, p),))
                     for _, p, sentence in found[:most]]
        return self._from_knowledge_base(answer, start, passages, sentences)

    def _example_answer(self, answer: Answer, cat, start: float) -> Answer | None:
        """'An example of a model that is well documented but restrictively licensed': the
        sentence that names a model and shares most of the question's words ('... as BLOOM
        does'). The 1.5B model had offered the MIT-licensed Phi-3 as the restrictive one."""
        if not EXAMPLE_Q.search(answer.standalone_question):
            return None
        asked = stems(answer.standalone_question) - {"exampl"}

        def shared(p: Passage, sentence: str) -> int:
            named = any(e.type in ("model", "family") for g in cat.mentions(sentence)
                        for e in g)
            return len(stems(sentence) & asked) if named else 0
        return self._best_sentence(answer, start, shared, least=3)

    def _who_answer(self, answer: Answer, linked: list, start: float) -> Answer | None:
        """'Who created the Model Openness Framework?': the sentence that says who made the
        thing asked about ('developed by researchers at ...'). The model had named the FMTI."""
        question = answer.standalone_question
        if not WHO_Q.search(question) or any(e.type in ("model", "family") for e in linked):
            return None
        asked = stems(WHO_Q.sub(" ", question))

        def shared(p: Passage, sentence: str) -> int:
            return len(stems(f"{sentence} {p.section}") & asked) if MADE_BY.search(
                sentence) else 0
        return self._best_sentence(answer, start, shared, least=min(2, len(asked)))

    def _event_answer(self, answer: Answer, linked: list, cat, start: float,
                      most: int = 3) -> Answer | None:
        """'What happened with the Llama 1 weights leak?': from the passages about the model
        named, the sentence that shares most words with the question and the ones after it
        that share some, quoted and cited. The model had said the weights were published
        later in the year."""
        question = answer.standalone_question
        mine = cat.sources_of([e for e in linked if e.type in ("model", "family")])
        if not EVENT_Q.search(question) or not mine:
            return None
        named = stems(" ".join(a for e in linked for a in (e.name, *e.aliases)))
        asked = stems(re.sub(r"\b(happen\w*|did|does|do|was|were|is|are)\b", " ", question,
                             flags=re.I)) - named  # the event's words, not the model's name
        best: tuple[int, int, Passage, list[str], int] | None = None
        for rank, p in enumerate(answer.passages):
            if p.source_id not in mine or p.source_id.startswith("model:"):
                continue  # the pages' prose, not a table row's fields
            sentences = post.split(plain(p.body))
            for i, sentence in enumerate(sentences):
                n = len(stems(sentence) & asked)
                if n and (best is None or (-n, rank) < (-best[0], best[1])):
                    best = (n, rank, p, sentences, i)
        if best is None:
            return None
        _, _, p, sentences, i = best
        told = [sentences[i]]
        for sentence in sentences[i + 1:i + most]:
            if not stems(sentence) & asked:
                break
            told.append(sentence)
        return self._from_knowledge_base(answer, start, [p.model_copy(update={"n": 1})],
                                         [post.Sentence(t, (1,)) for t in told])

    def _labelled_answer(self, answer: Answer, start: float, top: int = 3) -> Answer | None:
        """'What does MOF Class I require?': the list item of a top passage whose bold label
        (up to its comma: 'Class I') the question names, quoted whole. The model had answered
        with the BSD licence's conditions."""
        question = answer.standalone_question
        if not ASKS_WHAT.search(question):
            return None
        for p in answer.passages[:top]:
            for label, text in LABELLED.findall(p.body):
                head = label.split(",")[0].strip()
                if len(head) > 4 and re.search(rf"(?<!\w){re.escape(head)}(?!\w)", question,
                                               re.I):
                    said = f"{label.strip().rstrip(':')}: {text.strip()}"
                    item = post.Sentence(plain(said), (1,))
                    return self._from_knowledge_base(answer, start,
                                                     [p.model_copy(update={"n": 1})], [item])
        return None

    def _best_sentence(self, answer: Answer, start: float, shared, least: int
                       ) -> Answer | None:
        """The sentence of the best passages with the most `shared(passage, sentence)` (at
        least `least`; the better-ranked passage on a tie), quoted and cited. No model call."""
        found = [(-n, rank, p, sentence) for rank, p in enumerate(answer.passages)
                 for sentence in post.split(plain(p.text))
                 if (n := shared(p, sentence)) >= max(least, 1)]
        if not found:
            return None
        _, _, p, sentence = min(found, key=lambda f: f[:2])
        return self._from_knowledge_base(answer, start, [p.model_copy(update={"n": 1})],
                                         [post.Sentence(re.sub(r"^\s*-\s*", "", sentence),
                                                        (1,))])

    def _both_answer(self, answer: Answer, linked: list, cat, start: float) -> Answer | None:
        """Two models compared on figures ('Llama 4 Scout and Maverick in size and context
        length') where one sentence of a passage names both with their figures: that
        sentence, quoted and cited. No model call."""
        question = answer.standalone_question
        sides = [{e.id for e in group} for group in cat.mentions(question)
                 if all(e.type == "model" for e in group)]
        if (not COMPARE_Q.search(question) or len(sides) != 2 or sides[0] == sides[1]
                or re.search(r"\b(licen[cs]es?|terms)\b", question, re.I)):
            return None  # licences compared are the tables' to answer, clause by clause
        names = post.content_words(" ".join(e.name for e in linked))
        asked = post.content_words(question) - names
        found = []
        for p in answer.passages:
            for sentence in post.split(plain(p.text)):
                named = {e.id for e in cat.link(sentence)}
                shared = len((post.content_words(sentence) - names) & asked)
                if (all(side & named for side in sides) and re.search(r"\d", sentence)
                        and shared and not post.LIST_ITEM.match(sentence)):
                    found.append((shared, p, sentence))
        if not found:
            return None
        _, p, sentence = max(found, key=lambda f: f[0])
        return self._from_knowledge_base(answer, start, [p.model_copy(update={"n": 1})],
                                         [post.Sentence(sentence, (1,))])

    def _still_answer(self, answer: Answer, start: float, top: int = 3) -> Answer | None:
        """A false premise that a duty was lifted ('Why does the exemption remove the
        copyright-policy duty?') which a list of what still applies names: corrected, then
        that list whole, cited."""
        question = answer.standalone_question
        claimed = LIFTED_Q.search(question)
        duty = stems(claimed.group(0)) - stems(LIFT_WORDS)  # 'copyright-policy'
        for p, lead, items in self._page_lists(answer, top):
            if STILL.search(lead + " " + p.section) and any(stems(i) & duty for i in items):
                sentences = [post.Sentence("The premise is not right: that duty is not "
                                           "lifted.", (1,)), *listed(lead, items)]
                return self._from_knowledge_base(answer, start, [p.model_copy(update={"n": 1})],
                                                 sentences)
        return None

    def _definition_answer(self, answer: Answer, linked: list, start: float, top: int = 5
                           ) -> Answer | None:
        """'What does "open weights" mean?': the sentence of the best passages that defines
        that very term ('"Open weights" means ...', 'An open-weight model is ...'), with the
        sentence before it when it points back ('these values') and the one after it, cited.
        The model, given the glossary, wrote the closed-weights half into the definition."""
        term = defined_term(answer.standalone_question)
        if term is None or any(e.type in ("model", "family", "developer") for e in linked):
            return None
        for p in chain(answer.passages[:top], self._glossary_entry(answer, term)):
            said = definition(plain(p.body), term, p.section.split(" > ")[-1])
            if said:
                passage = p.model_copy(update={"n": 1})
                return self._from_knowledge_base(answer, start, [passage], [
                    post.Sentence(text, (1,)) for text in said])
        return None

    def _glossary_entry(self, answer: Answer, term: str) -> Iterator[Passage]:
        """The glossary's entry headed by the term, looked up only when the best passages
        define nothing (it may rank below the top five: 'What is RAIL?')."""
        yield from [c for c in self.retriever.chunks(answer.standalone_question, ["glossary"])
                    if heads_entry(c.section.split(" > ")[-1], term)][:1]

    @staticmethod
    def _from_knowledge_base(answer: Answer, start: float, passages: list[Passage],
                             sentences: list[post.Sentence]) -> Answer:
        """An answer code took whole from the knowledge base's text, its sentences cited to
        these passages: all of it at once."""
        answer.passages, answer.text = passages, post.render(sentences)
        answer.citations = sorted({n for s in sentences for n in s.cites})
        answer.backend, answer.model = "facts", "Faultline knowledge base"
        answer.timings.total_ms = (time.perf_counter() - start) * 1000
        answer.timings.first_token_ms = answer.timings.total_ms
        return answer

    def _from_draft(self, answer: Answer, draft, start: float) -> Answer | None:
        """A fact answer: its passages fetched by source and clause, numbered, rendered."""
        wanted = list(dict.fromkeys(c for _, cites in draft.sentences for c in cites))
        found = self.retriever.from_sources(answer.standalone_question, wanted)
        by_want = dict(zip(wanted, found, strict=True))
        if not any(found):
            return None
        passages: list[Passage] = []
        sentences = []
        for text, cites in draft.sentences:
            numbers = []
            for want in cites:
                p = by_want.get(want)
                if p is not None:
                    numbers.append(numbered(passages, p))
            if text:  # a list item on its own line, and what follows a list apart from it
                item = text.startswith("- ")
                sentences.append(post.Sentence(text, tuple(dict.fromkeys(numbers)), item=item,
                                               paragraph=not item and bool(sentences)
                                               and sentences[-1].item))
        answer.passages, answer.text = passages, post.render(sentences)
        answer.citations = sorted({n for s in sentences for n in s.cites})
        answer.verdict, answer.backend, answer.model = draft.verdict, "facts", "Faultline tables"
        answer.timings.total_ms = (time.perf_counter() - start) * 1000
        answer.timings.first_token_ms = answer.timings.total_ms  # all of it at once
        return answer

    def ask(self, question: str, history: list[Turn] | None = None, **options) -> Answer:
        *_, answer = self.stream(question, history, **options)
        return answer

    @staticmethod
    def _abstain(answer: Answer, reason: str, start: float) -> Answer:
        answer.abstained, answer.reason = True, reason
        answer.text, answer.citations = prompts.ABSTAIN.format(reason=reason), []
        answer.timings.total_ms = (time.perf_counter() - start) * 1000
        return answer
