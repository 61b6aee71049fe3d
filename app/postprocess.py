"""Post-processing of model output: the text is parsed once into sentences with their citations
and figures, then a pipeline of small pure steps keeps or drops each one and records why."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

CITATION = re.compile(r"\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")
# "Passage [2]", "(Passage 3)", "Sources: [1], [2]" -- citation talk, not content
PASSAGE_TALK = re.compile(
    r"\b(?:the |this )?(?:passages?|sources?)\s*(?:\[\d{1,2}\]\s*)+"
    r"(?:(?:explicitly|clearly|also)\s+)?(?:states?|says?|mentions?|notes?|explains?)\s+"
    r"(?:that\s+)?"
    r"|(?<!the )(?<!this )\(?\b(?:passages?|sources?)\s*(?=\[\d)|\(\s*passages?\s+\d+\s*\)"
    # ", which is the passage from [2]", ", as shown in passage [3]"
    r"|,?\s*\b(?:which|this|that) (?:is|was) (?:the passage|stated|mentioned|noted|said) "
    r"(?:from|in)(?: the)?(?: passages?)?\s*(?=\[\d)"
    # ", as stated in the [5]", "According to the passage, ..."
    r"|,?\s*\bas (?:stated|noted|mentioned|described|explained|shown) in (?:the )?"
    r"(?:passages?|sources?)?\s*(?=\[\d)"
    r"|^(?:according to|as (?:stated|noted) in) (?:the )?(?:passages?|sources?)\s*"
    r"(?:\[\d{1,2}\]\s*)*,?\s*"
    # "Based on the information provided in [2], X": X stays
    r"|^based on (?:the )?(?:(?:information|details) (?:provided|given) in (?:the )?)?"
    r"(?:(?:provided )?(?:passages?|sources?)\s*)?(?:\[\d{1,2}\]\s*)*,\s*"
    # "The passage states that X", "However, the passage also mentions that X": X stays
    r"|^(?:however,?\s+|also,?\s+)?(?:the|this) (?:passages?|sources?) (?:also )?(?:states?|"
    r"says?|mentions?|notes?|explains?|describes?|indicates?|shows?)(?: that)?\s+", re.I)

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# abbreviations whose dot does not end a sentence
ABBREVIATIONS = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|sec|secs|no|art|para|approx|inc|ltd|"
                           r"co|corp|dr|mr|ms|st|v|u\.s|u\.k|e\.u)|\b[A-Z])\.$", re.I)
LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
NO_ANSWER = re.compile(r"^\W*(i don'?t know|i do not know|the passages do not say)", re.I)
WORD = re.compile(r"[a-z0-9]+")
STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "is", "are", "was", "were",
        "be", "it", "its", "this", "that", "with", "as", "by", "at", "from", "which", "who",
        "what", "when", "how", "can", "may", "must", "not", "no", "yes", "does", "do", "any",
        "all", "their", "they", "you", "your", "i", "we", "our"}


@dataclass(frozen=True)
class Sentence:
    text: str  # without its citation markers
    cites: tuple[int, ...] = ()
    item: bool = False  # a list item (rendered on its own line)
    paragraph: bool = False  # starts a paragraph of its own (the text after a list)

    @property
    def figures(self) -> set[str]:
        return figures(self.text)


@dataclass
class Result:
    kept: list[Sentence] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (step, sentence text)
    raw_citations: list[int] = field(default_factory=list)  # every number the model wrote


def figures(text: str) -> set[str]:
    return {n.replace(",", "") for n in NUMBER.findall(CITATION.sub(" ", text))}


BOUNDARY = re.compile(r"[.!?][\"”’]?(?:\s*\[\d{1,2}(?:\s*,\s*\d{1,2})*\])*(?=\s|$)")
LEADING_CITES = re.compile(r"^(?:\s*\[\d{1,2}(?:\s*,\s*\d{1,2})*\][\s,;.]*)+")


def ends(line: str) -> list[int]:
    """Offsets just after each sentence end in a line ('e.g.' and 'Sec. 2' are not ends)."""
    out, start = [], 0
    for m in BOUNDARY.finditer(line):
        if ABBREVIATIONS.search(line[start:m.start() + 1].rstrip()) and m.end() < len(line):
            continue
        out.append(m.end())
        start = m.end()
    return out


# lines that start a block of their own: a list item, a heading, a table row
BLOCK_START = re.compile(r"^[ \t]*(?:[-*+•] |\d{1,2}[.)] |#|\|)")


def unwrap(text: str) -> str:
    """A hard-wrapped paragraph on one line; list items, headings and tables keep theirs."""
    out: list[str] = []
    for line in text.splitlines():
        if (out and out[-1].strip() and line.strip() and not BLOCK_START.match(line)
                and not out[-1].lstrip().startswith(("#", "|"))):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def split(text: str) -> list[str]:
    """Sentences and list items, keeping 'e.g.', 'Sec. 2' and '1.5B' whole; a hard-wrapped
    paragraph is one run of sentences, not one piece per line."""
    pieces: list[str] = []
    for line in unwrap(text).splitlines():
        start = 0
        for end in ends(line):
            pieces.append(line[start:end].strip())
            start = end
        pieces.append(line[start:].strip())
    return [p for p in pieces if p]


def parse(text: str) -> tuple[list[Sentence], list[int]]:
    """Sentences with the citation numbers each carries, and every number the model wrote."""
    out, raw = [], []
    for piece in split(text):
        numbers = [int(n) for m in CITATION.finditer(piece) for n in re.split(r"\s*,\s*",
                                                                                 m.group(1))]
        raw += numbers
        lead = LEADING_CITES.match(piece)
        if lead and lead.end() < len(piece):  # "[1], [2] Next sentence": the list is stray
            piece = piece[lead.end():]
            numbers = [int(n) for m in CITATION.finditer(piece)
                       for n in re.split(r"\s*,\s*", m.group(1))]
        body = PASSAGE_TALK.sub("", piece)
        body = CITATION.sub("", body)
        body = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", body)).strip()
        body = re.sub(r"[\s,;(]+$", "", body) if not re.search(r"[.!?:]$", body) else body
        body = body[:1].upper() + body[1:]
        item = bool(LIST_ITEM.match(piece))
        out.append(Sentence(body, tuple(dict.fromkeys(numbers)), item))
    return out, raw


Step = Callable[[Sentence], Sentence | None]


def drop_empty(s: Sentence) -> Sentence | None:
    """A sentence that was only citation numbers or 'Passage [n]' talk."""
    return s if len(WORD.findall(LIST_ITEM.sub("", s.text).lower())) >= 2 else None


# "The passage [1] provides information on this distinction": says what a source covers, not
# anything about the question
SOURCE_TALK = re.compile(r"^(?:the|this|these) (?:passages?|sources?|texts?|documents?) (?:also )?"
                         r"(?:(?:provides?|gives?|offers?|contains?) (?:some |more |further |"
                         r"additional |useful )?(?:information|details|context|an overview|"
                         r"background)\b(?! (?:that|such as|including))|(?:discuss\w*|covers?|"
                         r"talks? about|deals? with|focus\w* on) (?:this|that|the) (?:topic|"
                         r"distinction|question|issue|subject|difference)\b)"
                         # "This can be found in [1].": where, not what (its citation is gone)
                         r"|^(?:this|it|that|these|they)(?: \w+)? (?:can be|is|are) (?:found|"
                         r"seen|stated|mentioned|described|explained|provided|given|shown|"
                         r"covered) in\W*$"
                         # "This is based on the information provided in [2].": the same
                         r"|^(?:(?:this|the) (?:answer|information)|this|it|that) (?:is|was) "
                         r"(?:based on|drawn from|taken from)(?: the)?(?: (?:information|"
                         r"details) (?:provided|given)(?: in)?)?(?: the)?(?: (?:provided )?"
                         r"(?:passages?|sources?|texts?|documents?))?(?:\W|\band\b)*$"
                         # "The passage from directly answers this question by stating that
                         # ...": a restatement of what was said, about the passage
                         r"|^the (?:passages?|sources?|texts?|documents?)\b.{0,40}\b(?:directly "
                         r")?(?:answers?|addresses) (?:this|the|your) question\b", re.I)


def drop_source_talk(s: Sentence) -> Sentence | None:
    """A sentence whose subject is the passage and whose news is only that it covers a topic."""
    return None if SOURCE_TALK.match(s.text) else s


def unquoted(s: Sentence) -> Sentence:
    """A sentence without the quotation mark that has no partner in it: a passage the model
    copied whole opens its quote in one sentence and closes it in another. A ’ after an s
    ("the models’") is an apostrophe and stays."""
    text = s.text
    if text.count('"') % 2:
        text = re.sub(r'^"\s*', "", text) if text.startswith('"') else re.sub(
            r'"(?=\W*$)', "", text, count=1)
    for left, right in ("“”", "‘’"):
        if text.startswith(left) and right not in text:
            text = text[1:]
        elif text.rstrip(".!?").endswith(right) and left not in text:
            text = re.sub(rf"(?<![sS]){right}(?=\W*$)", "", text, count=1)
    return replace(s, text=text) if text != s.text else s


def valid_citations(valid: set[int]) -> Step:
    def step(s: Sentence) -> Sentence | None:
        return replace(s, cites=tuple(n for n in s.cites if n in valid))
    return step


def content_words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 1}


def attribute(passages: dict[int, str], min_support: float = 0.5) -> Step:
    """An uncited sentence gets the passage sharing most of its content words (small models
    forget to cite); a sentence no passage supports stays uncited."""
    vocab = {n: content_words(t) for n, t in passages.items()}

    def step(s: Sentence) -> Sentence | None:
        words = content_words(s.text)
        if s.cites or len(words) < 2 or not vocab:
            return s
        n, best = max(((n, len(words & v) / len(words)) for n, v in vocab.items()),
                      key=lambda x: x[1])
        return replace(s, cites=(n,)) if best >= min_support else s
    return step


def known_figures(allowed: set[str]) -> Step:
    """Drop a sentence stating a number that neither the passages nor the question contain."""
    def step(s: Sentence) -> Sentence | None:
        return s if s.figures <= allowed else None
    return step


def finished(s: Sentence) -> Sentence | None:
    """Drop a sentence cut off mid-way (a length limit hit); list items may end bare."""
    return s if s.item or re.search(r"[.!?:)\"”]$", s.text) else None


# "without any restrictions", "unrestricted": a claim of no limits at all, the worst wrong yes
ABSOLUTE = re.compile(r"\b(without (any )?(restrictions?|limitations?|conditions?)|"
                      r"no restrictions?|unrestricted|any restrictions? whatsoever)\b", re.I)


def stated_absolutes(passages_text: str) -> Step:
    """Drop a sentence claiming something is free of all limits when no passage says so."""
    stated = bool(ABSOLUTE.search(passages_text))

    def step(s: Sentence) -> Sentence | None:
        return None if ABSOLUTE.search(s.text) and not stated else s
    return step


# 'GPT-2', 'Llama 3.1', 'Qwen2.5-72B': a release name, which a licence claim is about
RELEASE = re.compile(r"\b[A-Z][A-Za-z]*(?:[- ]?\d[\w.]*)+")
UNDER = re.compile(r"\bunder\b", re.I)


def _release(name: str, norm: Callable[[str], str]) -> str:
    """'qwen 2.5' for 'Qwen2.5-72B': the name up to its first number, which tells releases
    apart while a row listing sizes ('Qwen2.5 (0.5B, ..., 72B)') still matches it."""
    tokens = norm(name).split()
    cut = next((i for i, t in enumerate(tokens) if t[0].isdigit()), len(tokens) - 1)
    return " ".join(tokens[:cut + 1])


def _has(text: str, phrase: str) -> bool:
    return f" {phrase} " in f" {text} "


def licence_attributions(aliases: dict[str, str], passages: dict[int, str],
                         norm: Callable[[str], str]) -> Step:
    """'GPT-2 was published under the Apache License 2.0 [2]': a licence said to cover a
    release must be named with that release in one sentence of a cited passage (every
    passage when the sentence cites none). An unsupported trailing clause is cut; a sentence
    that is nothing but the claim goes. `aliases` maps a normalised licence name to its id."""
    by_id: dict[str, list[str]] = {}
    for alias, key in aliases.items():
        by_id.setdefault(key, []).append(alias)
    longest = max((len(a.split()) for a in aliases), default=1)
    said = {n: [norm(x) for x in split(t)] for n, t in passages.items()}

    def claimed(text: str) -> list[tuple[str, str, int]]:
        """(licence id, alias, offset of 'under') for each 'under <licence>' in the text."""
        out = []
        for m in UNDER.finditer(text):
            tokens = norm(text[m.end():]).split()
            tokens = tokens[1:] if tokens[:1] == ["the"] else tokens
            for size in range(min(longest, len(tokens)), 0, -1):
                alias = " ".join(tokens[:size])
                if alias in aliases:
                    out.append((aliases[alias], alias, m.start()))
                    break
        return out

    def step(s: Sentence) -> Sentence | None:
        releases = {_release(n, norm) for n in RELEASE.findall(s.text)}
        for key, alias, at in claimed(s.text):
            names = {n for n in releases if n and n not in alias}
            if not names:
                continue
            sentences = [x for n in (s.cites or said) for x in said.get(n, [])]
            if any(all(_has(x, n) for n in names) and any(_has(x, a) for a in by_id[key])
                   for x in sentences):
                continue
            head = s.text[:at].rstrip()
            comma = head.rfind(",")
            kept = head[:comma].rstrip() if comma > 0 else ""
            if len(kept.split()) < 4:
                return None
            return replace(s, text=kept + ".")
        return s
    return step


MADE_BY = re.compile(r"\s+(?:from|by|(?:developed|released|made|created|built) by)\s+(?:the\s+)?",
                     re.I)


def developer_attributions(made_by: dict[str, set[str]], developers: set[str],
                           norm: Callable[[str], str]) -> Step:
    """'BLOOM from OpenAI': a developer named for a model the tables say another made; the
    phrase is cut ('BLOOM'), the rest of the sentence stays. `made_by` maps a normalised
    model or family name to its developers, `developers` holds every developer's name."""
    longest = max((len(a.split()) for a in made_by), default=1)

    def step(s: Sentence) -> Sentence | None:
        text = s.text
        for m in reversed(list(MADE_BY.finditer(text))):
            words = text[m.end():].split()
            claimed = next((" ".join(words[:n]) for n in (3, 2, 1) if len(words) >= n
                            and norm(" ".join(words[:n])) in developers), None)
            before = norm(text[:m.start()]).split()
            model = next((" ".join(before[-n:]) for n in range(min(longest, len(before)), 0,
                                                               -1)
                          if " ".join(before[-n:]) in made_by), None)
            if claimed is None or model is None:
                continue
            if any(_has(dev, norm(claimed)) for dev in made_by[model]):
                continue
            text = text[:m.start()] + text[m.end() + len(claimed):]
        return s if text == s.text else replace(s, text=text)
    return step


# "BLOOM sits on the API-only end", "Mistral 7B is only available through an API"
API_CLAIM = re.compile(r"\bapi[- ]only\b|\bonly (?:be )?(?:available|reached|used|accessed) "
                       r"(?:through|via|by) (?:an? |its |the )?api\b|\bweights (?:are|were) not "
                       r"(?:published|released|public|downloadable)\b|\bclosed[- ]weights?\b",
                       re.I)
# "GPT-4o's weights can be downloaded", "Claude is an open-weight model"
OPEN_ACCESS_CLAIM = re.compile(r"\bweights (?:are|were|have been) (?:published|released|public|"
                               r"downloadable|available for download)\b|\bcan be downloaded\b|"
                               r"\bis (?:an )?open[- ]weights?\b|\bdownloadable\b", re.I)
NEGATED = re.compile(r"\b(?:not|never|no longer|neither|nor|unlike)\b|n't\b", re.I)
POINTER = re.compile(r"\b(?:it|its|the model|this model|that model)\b", re.I)


def access_claims(access: dict[str, str], norm: Callable[[str], str]) -> Step:
    """A sentence about one model that says it is API-only when the table says its weights
    download, or that its weights download when the table says it is API-only, is dropped;
    'it' and 'the model' read as the model named last. `access` maps normalised model names
    to api / download / gated."""
    names = sorted(access, key=len, reverse=True)
    last: list[str] = []

    def step(s: Sentence) -> Sentence | None:
        text = norm(s.text)
        named: list[str] = []
        for name in names:
            if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", text) and not any(
                    name in longer for longer in named):
                named.append(name)
        if named:
            last[:] = named
        about = named or (last if POINTER.search(s.text) else [])
        if len({access[n] == "api" for n in about}) != 1 or NEGATED.search(s.text):
            return s  # several models, or a denial ('is not API-only'): not a plain claim
        api = access[about[0]] == "api"
        wrong = OPEN_ACCESS_CLAIM.search(s.text) if api else API_CLAIM.search(s.text)
        return None if wrong else s
    return step


PROHIBITS = re.compile(r"\b(prohibit\w*|forbid\w*|forbade|must not|may not|not (allowed|permitted)|"
                       r"bans?|banned|bars?|barred|restricted uses?)\b", re.I)
PERMITS = re.compile(r"\b(allow(s|ed)?|permit(s|ted)?|may (use|modify|distribute)|is free to)\b",
                     re.I)


def verdict_conflict(verdict: str, reason: str, question: str = "") -> bool:
    """The verdict field and its own prose disagree, so the verdict is not shown: a 'yes' to
    'is it allowed?' whose reason speaks of a prohibition, or a 'no' whose reason only speaks
    of permission (the other way round when the question asks whether it is forbidden)."""
    if PROHIBITS.search(question):
        verdict = {"yes": "no", "no": "yes"}.get(verdict, verdict)
    if verdict == "yes":
        return bool(PROHIBITS.search(reason))
    if verdict == "no":
        return bool(PERMITS.search(reason)) and not PROHIBITS.search(reason) and \
            not re.search(r"\b(not|no|never|only)\b", reason, re.I)
    return False


def require_citation(s: Sentence) -> Sentence | None:
    return s if s.cites else None


def is_lead_in(s: Sentence) -> bool:
    """'It asks three questions:': a sentence that promises a list."""
    return not s.item and s.text.rstrip().endswith(":")


def without_dangling_leads(sentences: list[Sentence], final: bool
                           ) -> tuple[list[Sentence], list[Sentence]]:
    """(kept, dropped): a lead-in not followed by a list item goes, since its list never
    came; at the end of the answer (`final`) a last lead-in goes too."""
    kept, dropped = [], []
    for i, s in enumerate(sentences):
        last = i == len(sentences) - 1
        if is_lead_in(s) and (not last and not sentences[i + 1].item or last and final):
            dropped.append(s)
        else:
            kept.append(s)
    return kept, dropped


def settled(sentences: list[Sentence]) -> int:
    """How many sentences may be shown: all but a last lead-in, whose list may not come."""
    return len(sentences) - 1 if sentences and is_lead_in(sentences[-1]) else len(sentences)


def restates(s: Sentence, kept: list[Sentence]) -> bool:
    """Every content word of the sentence is in one already kept ('X also requires Y' after
    'X requires Y'): a repeat in other words."""
    words = content_words(s.text) - {"also", "however", "additionally", "furthermore"}
    return len(words) >= 4 and any(words <= content_words(k.text) for k in kept)


CONNECTIVE = re.compile(r"^(however|but|also|additionally|moreover|furthermore|in addition|"
                        r"similarly|likewise),?\s+(?=\w)", re.I)


def opens(s: Sentence) -> Sentence:
    """The answer's first sentence without a 'However,' that pointed back at nothing."""
    text = CONNECTIVE.sub("", s.text)
    return replace(s, text=text[:1].upper() + text[1:]) if text != s.text else s


def run(sentences: Iterable[Sentence], steps: list[tuple[str, Step]], result: Result) -> Result:
    """Each sentence through the steps in order; the first step that drops it is recorded."""
    seen = {s.text.lower() for s in result.kept}
    for sentence in sentences:
        current: Sentence | None = sentence
        for name, step in steps:
            current = step(current)
            if current is None:
                result.removed.append((name, sentence.text))
                break
        if current is not None:
            current = current if result.kept else opens(current)
            if current.text.lower() in seen or restates(current, result.kept):
                result.removed.append(("repeat", sentence.text))
                continue
            seen.add(current.text.lower())
            result.kept.append(current)
    return result


def render(sentences: Iterable[Sentence]) -> str:
    """'Text [1][2].' per sentence; list items on their own lines."""
    parts: list[str] = []
    for s in sentences:
        marks = "".join(f"[{n}]" for n in s.cites)
        text = s.text
        if marks:
            m = re.search(r"([.!?:;]+)$", text)
            text = (text[:m.start()] + f" {marks}" + m.group(1)) if m else f"{text} {marks}"
        parts.append(("\n" if s.item and parts else "\n\n" if s.paragraph and parts else "")
                     + text)
    out = ""
    for part in parts:
        out += part if not out else (part if part.startswith("\n") else " " + part)
    return out.strip()


def completed(chunks: Iterable[str]) -> Iterator[str]:
    """Whole sentences (and lines) from a token stream, each once the next has begun."""
    buffer = ""
    for chunk in chunks:
        buffer += chunk
        cut = buffer.rfind("\n") + 1
        line = buffer[cut:]
        done = [e for e in ends(line) if line[e:].strip()]
        if done:
            cut += done[-1]
        if cut and buffer[:cut].strip():
            yield buffer[:cut]
            buffer = buffer[cut:]
    if buffer.strip():
        yield buffer
