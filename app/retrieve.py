"""Stage 3: question -> passages. Hybrid search: Chroma vectors + BM25 keywords over the same
chunks, fused with reciprocal rank fusion across the curated index and the user's uploads (each
retriever ranked on one scale over both). Each index reloads by itself when an ingest changes it
(no restart needed)."""

from __future__ import annotations

import threading
import time

from pydantic import BaseModel

from app.embed import Embedder
from app.ingest import fingerprint
from app.keywords import Keywords, bm25_tokens
from app.records import ChunkMeta, Kind
from app.settings import Settings
from app.store import IndexError_, IndexState, ServerUnavailable, open_store


class Passage(BaseModel):
    """A retrieved chunk, numbered as the model sees it."""

    n: int = 0
    id: str
    text: str
    source_id: str
    title: str
    kind: str
    section: str = ""
    url: str = ""
    score: float  # cosine similarity to the question
    rrf: float = 0.0
    vector_rank: int | None = None
    keyword_rank: int | None = None

    @property
    def body(self) -> str:
        """The chunk text without the title/section header line ingest put first."""
        head, sep, rest = self.text.partition("\n\n")
        return rest if sep and head.startswith(self.title) else self.text

    @property
    def label(self) -> str:
        return self.title + (f", {self.section}" if self.section else "")


def to_passage(cid: str, text: str, meta: dict, score: float) -> Passage:
    m = ChunkMeta.from_chroma(meta)
    return Passage(id=cid, text=text, source_id=m.source_id, title=m.title, kind=m.kind,
                   section=m.section, url=m.url, score=round(score, 4))


def scored(vector: list[float], got: dict) -> list[Passage]:
    """Passages of a Chroma get() with embeddings, scored by cosine to the question."""
    return [to_passage(cid, text, meta, float(sum(a * b for a, b in zip(
        vector, emb, strict=True)))) for cid, text, meta, emb in zip(
        got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)]


class Shard:
    """One index (its live Chroma collection + keywords), reopened whenever an ingest
    completes a new build of it."""

    def __init__(self, settings: Settings, embedder: Embedder, required: bool = True):
        self.settings, self.embedder, self.required = settings, embedder, required
        self.store = open_store(settings)
        self._stamp: str | None = None
        self._next_poll = 0.0
        self.state: IndexState | None = None
        self._lock = threading.Lock()

    def refresh(self) -> bool:
        """Reload if an ingest changed the index; False when an optional index is absent."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> bool:
        if time.monotonic() < self._next_poll:  # a server is asked once per poll interval
            return self.state is not None
        state = self.store.live()
        self._next_poll = time.monotonic() + self.store.poll_seconds
        if state is None:
            if self.required:
                self.store.require_live()  # raises with the command to run
            self.state = None
            return False
        if state.stamp == self._stamp:
            return True
        fp = fingerprint(self.settings, self.embedder)
        if (state.fingerprint.get("embedder"), state.fingerprint.get("dimension")) != (
                fp["embedder"], fp["dimension"]):
            raise IndexError_(
                f"the index at {self.store.location} was built with embedder "
                f"{state.fingerprint.get('embedder')}, but the configured one is "
                f"{fp['embedder']}: rebuild with `faultline ingest --rebuild`")
        self.collection = self.store.open(state.collection)
        self.keywords: Keywords = self.store.keywords(self.collection, state.collection)
        self.state, self._stamp = state, state.stamp
        return True

    def vector(self, vector: list[float], n: int, kind: str | None) -> list[Passage]:
        count = self.collection.count()
        if not count:
            return []
        hits = self.collection.query(
            query_embeddings=[vector], n_results=min(n, count),
            where={"kind": kind} if kind else None,
            include=["documents", "metadatas", "distances"])
        return [to_passage(cid, text, meta, 1.0 - dist) for cid, text, meta, dist in zip(
            hits["ids"][0], hits["documents"][0], hits["metadatas"][0], hits["distances"][0],
            strict=True)]

    def fetch(self, ids: list[str], vector: list[float]) -> list[Passage]:
        """Keyword-only hits, scored by cosine too so abstention sees one scale."""
        return scored(vector, self.collection.get(
            ids=ids, include=["documents", "metadatas", "embeddings"]))


class Retriever:
    """Searches the curated index and, when present, the index of the user's uploads."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or Embedder(settings)
        self.shards = [Shard(settings, self.embedder),
                       Shard(settings.user_settings(), self.embedder, required=False)]
        self.last_ms: float = 0.0
        self._union: tuple[tuple, Keywords, dict[str, int]] | None = None

    def _keywords(self, live: list[Shard]):
        """(keyword index over every live index, chunk id -> its shard): a shard's own when it
        is the only one, else one built over all of their chunks, kept until one changes."""
        if len(live) <= 1:
            return (live[0].keywords if live else None), lambda cid: live[0]
        stamps = tuple(s._stamp for s in live)
        if self._union is None or self._union[0] != stamps:
            from app.store import keyword_inputs

            ids, kinds, texts, where = [], [], [], {}
            for number, shard in enumerate(live):
                more_ids, more_kinds, more_texts = keyword_inputs(shard.collection)
                ids, kinds, texts = ids + more_ids, kinds + more_kinds, texts + more_texts
                where.update(dict.fromkeys(more_ids, number))
            self._union = (stamps, Keywords.build(ids, kinds, texts), where)
        _, keywords, where = self._union
        return keywords, lambda cid: live[where[cid]] if cid in where else None

    def search(self, question: str, k: int | None = None, kind: Kind | None = None
               ) -> list[Passage]:
        """The k best passages for a question, best first, numbered from 1."""
        import httpx
        from chromadb.errors import ChromaError

        start = time.perf_counter()
        k, n = k or self.settings.k, self.settings.candidates
        vector = self.embedder.embed([question])[0]
        tokens = bm25_tokens([question])
        vector_hits: list[Passage] = []
        live: list[Shard] = []
        for shard in self.shards:
            try:
                if shard.refresh():
                    live.append(shard)
                    vector_hits += shard.vector(vector, n, kind)
            except (httpx.HTTPError, ChromaError) as exc:  # server mode: the server is gone
                raise ServerUnavailable(
                    f"the index at {shard.store.location} is not answering "
                    f"({exc.__class__.__name__}: {str(exc)[:160]}); restart the Chroma server "
                    "and ask again") from exc
        # one ranking per retriever over both indexes: vectors by cosine, keywords by one BM25
        # over the chunks of both (each index's own BM25 scores are on different scales)
        vector_hits.sort(key=lambda p: -p.score)
        found = {p.id: p for p in vector_hits[:n]}
        for rank, passage in enumerate(found.values()):
            passage.vector_rank = rank
        keywords, owner = self._keywords(live)
        ranked = [cid for cid, _ in keywords.search(tokens, n, kind)] if keywords else []
        for shard in live:
            extra = [cid for cid in ranked if owner(cid) is shard and cid not in found]
            found.update({p.id: p for p in shard.fetch(extra, vector)} if extra else {})
        for rank, cid in enumerate(ranked):
            if cid in found:  # an id removed by an ingest running right now is skipped
                found[cid].keyword_rank = rank
        for p in found.values():
            p.rrf = sum(1.0 / (self.settings.rrf_k + r + 1)
                        for r in (p.vector_rank, p.keyword_rank) if r is not None)
        self._scope(question, list(found.values()))
        best = sorted(found.values(), key=lambda p: (-p.rrf, -p.score))[:k]
        for number, passage in enumerate(best, 1):
            passage.n = number
        self.last_ms = (time.perf_counter() - start) * 1000
        return best

    def _scope(self, question: str, passages: list[Passage]) -> None:
        """Lift the passages about the models and licences the question names and lower those
        about other ones, by `entity_boost` top ranks: a Llama 3.1 question gets the Llama 3.1
        clauses ahead of Llama 4's."""
        from app.entities import catalogue

        if not self.settings.entity_boost or not passages:
            return
        cat = catalogue(self.settings.corpus_dir)
        specific = [e for e in cat.link(question) if e.type in ("model", "licence", "family")]
        if not specific:
            return
        mine = cat.on_topic(specific)
        step = self.settings.entity_boost / (self.settings.rrf_k + 1)
        for p in passages:
            if p.source_id in mine:
                p.rrf += step
            elif cat.owner(p.source_id):
                p.rrf -= step

    def from_sources(self, question: str, wanted: list[tuple[str, str]]
                     ) -> list[Passage | None]:
        """One curated passage per (source id, text): the chunk of that source that contains
        the text, else the chunk closest to the question; None for a source not indexed."""
        from app.facts import quote_in

        chunks = self.chunks(question, sorted({sid for sid, _ in wanted}))
        out: list[Passage | None] = []
        for sid, text in wanted:
            own = [c for c in chunks if c.source_id == sid]
            hits = [c for c in own if quote_in(c.text, text)] or own
            out.append(max(hits, key=lambda c: c.score) if hits else None)
        return out

    def chunk(self, chunk_id: str) -> tuple[Passage, dict] | None:
        """One chunk by id from whichever index holds it, with its metadata."""
        for shard in self.shards:
            if not shard.refresh():
                continue
            got = shard.collection.get(ids=[chunk_id], include=["documents", "metadatas"])
            if got["ids"]:
                meta = got["metadatas"][0]
                return to_passage(chunk_id, got["documents"][0], meta, 0.0), meta
        return None

    def chunks(self, question: str, source_ids: list[str]) -> list[Passage]:
        """Every curated chunk of these sources, scored against the question."""
        shard = self.shards[0]
        if not source_ids or not shard.refresh():
            return []
        got = shard.collection.get(where={"source_id": {"$in": source_ids}},
                                   include=["documents", "metadatas", "embeddings"])
        return scored(self.embedder.embed([question])[0], got)
