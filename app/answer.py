"""Stage 4: passages -> answer with citations. The pipeline, top to bottom:
history-aware rewrite -> hybrid retrieval -> numbered-passage prompt -> chat model -> citation
check -> answer or explicit abstention."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, Field

from app import prompts
from app.llm import Backend, BackendUnavailable, get_backend
from app.retrieve import Kind, Passage, Retriever
from app.settings import Settings

CITATION = re.compile(r"\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")


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


def check_citations(text: str, valid: set[int]) -> tuple[str, list[int]]:
    """Drop citation numbers that match no passage; return the text and the numbers kept."""
    kept: list[int] = []

    def keep(match: re.Match) -> str:
        numbers = [int(n) for n in re.split(r"\s*,\s*", match.group(1))]
        good = [n for n in numbers if n in valid]
        kept.extend(n for n in good if n not in kept)
        return "".join(f"[{n}]" for n in good)

    cleaned = CITATION.sub(keep, text)
    return re.sub(r"[ \t]+([.,;:])", r"\1", cleaned).strip(), sorted(kept)


def split_sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


def attribute(text: str, passages: list[Passage], min_support: float = 0.5) -> str:
    """Cite, for each uncited sentence, the passage sharing most of its content words (small
    models often forget to cite); a sentence no passage supports stays uncited."""
    from app.index import bm25_tokens

    sentences = split_sentences(text.strip())
    vocab = [set(t) for t in bm25_tokens([p.text for p in passages])]
    out = []
    for sentence, words in zip(sentences, bm25_tokens(sentences), strict=True):
        words = set(words)
        if not CITATION.search(sentence) and len(words) >= 2:
            support = [len(words & v) / len(words) for v in vocab]
            best = max(range(len(passages)), key=support.__getitem__)
            if support[best] >= min_support:
                sentence = re.sub(r"([.!?]?)$", f" [{passages[best].n}]\\1", sentence, count=1)
        out.append(sentence)
    return " ".join(out)


NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def drop_unsupported_figures(text: str, passages: list[Passage]) -> tuple[str, int]:
    """Remove sentences stating a number that no passage contains (a small model invents
    prices, costs and counts); returns the text and how many sentences went."""
    def numbers(value: str) -> set[str]:
        return {n.replace(",", "") for n in NUMBER.findall(CITATION.sub(" ", value))}

    known = set().union(*(numbers(p.text) for p in passages)) if passages else set()
    kept, dropped = [], 0
    for sentence in split_sentences(text.strip()):
        if numbers(sentence) <= known:
            kept.append(sentence)
        else:
            dropped += 1
    return " ".join(kept), dropped


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


def format_passages(passages: list[Passage]) -> str:
    """Each passage quoted under its number and label (the chunk's own header line removed:
    with it, the small model tends to copy passages instead of answering)."""
    return "\n\n".join(prompts.PASSAGE.format(n=p.n, label=p.label, text=defuse(p.body))
                       for p in passages)


class Answerer:
    """Keeps the retriever and the chat model loaded across questions."""

    def __init__(self, settings: Settings, retriever: Retriever | None = None,
                 backend: Backend | None = None):
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self._backend = backend

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            self._backend = get_backend(self.settings)
        return self._backend

    def messages(self, question: str, passages: list[Passage]) -> list[tuple[str, str]]:
        """The exact chat the model sees (fixed system prompt first, for KV-cache reuse)."""
        user = prompts.USER.format(passages=format_passages(passages), question=question)
        return [("system", prompts.SYSTEM), ("human", user)]

    def rewrite(self, question: str, history: list[Turn]) -> str:
        """A follow-up becomes a standalone question; a first question passes unchanged."""
        if not history:
            return question
        from langchain_core.output_parsers import StrOutputParser
        from langchain_core.prompts import ChatPromptTemplate

        chain = (ChatPromptTemplate.from_messages([("human", prompts.REWRITE)])
                 | self.backend.chat | StrOutputParser())
        lines = "\n".join(f"{t.role}: {t.content[:600]}" for t in history[-6:])
        out = chain.invoke({"history": lines, "question": question}).strip().splitlines()
        return (out[0].strip() if out and out[0].strip() else question)[:1000]

    def stream(self, question: str, history: list[Turn] | None = None, k: int | None = None,
               kind: Kind | None = None, strict: bool = True) -> Iterator[Token | Answer]:
        """Yield the model's tokens as they come, then the checked Answer."""
        start = time.perf_counter()
        timings = Timings()
        asked, dropped = drop_instructions(question)
        standalone = self.rewrite(asked, history or [])
        timings.rewrite_ms = (time.perf_counter() - start) * 1000
        passages = self.retriever.search(standalone, k=k, kind=kind)
        timings.retrieval_ms = self.retriever.last_ms
        answer = Answer(question=question, standalone_question=standalone, text="",
                        passages=passages, timings=timings)
        best = max((p.score for p in passages), default=0.0)
        if best < self.settings.min_score:
            yield self._abstain(answer, "no passage is close enough to the question", start)
            return
        backend = self.backend
        answer.backend, answer.model = backend.name, backend.model
        answer.note = " ".join(filter(None, [backend.note, prompts.IGNORED if dropped else ""]))
        raw = []
        try:
            for chunk in backend.chat.stream(self.messages(standalone, passages)):
                if chunk.content:
                    if timings.first_token_ms is None:
                        timings.first_token_ms = (time.perf_counter() - start) * 1000
                    raw.append(chunk.content)
                    yield Token(text=chunk.content)
        except Exception as exc:  # any transport failure of any backend ends up here
            raise BackendUnavailable(
                f"the {backend.name} model ({backend.model}) stopped answering: "
                f"{exc.__class__.__name__}: {str(exc)[:200]}; try again"
            ) from exc
        text = attribute("".join(raw), passages)
        said_no = prompts.NO_ANSWER.lower() in text.lower()[:40]
        text, invented = drop_unsupported_figures(text, passages)
        text, cited = check_citations(text, {p.n for p in passages})
        answer.text, answer.citations = text, cited
        if said_no or not text:
            reason = ("its figures are in none of the passages" if invented and not said_no
                      else "the passages do not answer it")
            yield self._abstain(answer, reason, start)
        elif not cited and strict:
            yield self._abstain(answer, "the answer could not be tied to a source", start)
        else:
            timings.total_ms = (time.perf_counter() - start) * 1000
            yield answer

    def ask(self, question: str, history: list[Turn] | None = None, **options) -> Answer:
        *_, answer = self.stream(question, history, **options)
        return answer

    @staticmethod
    def _abstain(answer: Answer, reason: str, start: float) -> Answer:
        answer.abstained, answer.reason = True, reason
        answer.text, answer.citations = prompts.ABSTAIN.format(reason=reason), []
        answer.timings.total_ms = (time.perf_counter() - start) * 1000
        return answer
