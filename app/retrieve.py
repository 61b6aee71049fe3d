"""Stage 3: question -> passages. Hybrid search: Chroma vectors + BM25 keywords over the same
chunks, fused with reciprocal rank fusion, across the curated index and the user's uploads.
Each index reloads by itself when an ingest changes it (no restart needed)."""

from __future__ import annotations

import threading
import time
from typing import Literal

from pydantic import BaseModel

from app.embed import Embedder
from app.index import Index, IndexError_, ServerUnavailable, bm25_tokens
from app.ingest import fingerprint
from app.settings import Settings

Kind = Literal["article", "licence", "model", "upload"]


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
    return Passage(id=cid, text=text, source_id=meta["source_id"], title=meta["title"],
                   kind=meta["kind"], section=meta.get("section", ""), url=meta.get("url", ""),
                   score=round(score, 4))


class Shard:
    """One index (Chroma collection + BM25), reopened whenever its manifest changes."""

    def __init__(self, settings: Settings, embedder: Embedder, required: bool = True):
        self.settings, self.embedder, self.required = settings, embedder, required
        self.index = Index(settings)
        self._stamp: str | None = None
        self._next_poll = 0.0
        self.manifest = None
        self._lock = threading.Lock()

    def refresh(self) -> bool:
        """Reload if an ingest changed the index; False when an optional index is absent."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> bool:
        remote = self.index.remote
        if remote and time.monotonic() < self._next_poll:  # a server is asked once a second
            return self.manifest is not None
        stamp = self.index.stamp()
        self._next_poll = time.monotonic() + self.settings.chroma_poll_seconds
        if stamp is None:
            if self.required:
                self.index.require_manifest()  # raises with the command to run
            self.manifest = None
            return False
        if stamp == self._stamp:
            return True
        manifest = self.index.require_manifest()
        fp = fingerprint(self.settings, self.embedder)
        if (manifest.fingerprint.get("embedder"), manifest.fingerprint.get("dimension")) != (
                fp["embedder"], fp["dimension"]):
            raise IndexError_(
                f"the index at {self.index.location} was built with embedder "
                f"{manifest.fingerprint.get('embedder')}, but the configured one is "
                f"{fp['embedder']}: rebuild with `faultline ingest --rebuild`")
        self.collection = self.index.collection(manifest.collection, self.embedder.function)
        self.bm25, self.bm25_ids, self.bm25_kinds = self.index.load_bm25(self.collection)
        self.manifest, self._stamp = manifest, stamp
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

    def keyword(self, tokens: list[list[str]], n: int, kind: str | None) -> list[str]:
        if self.bm25 is None or not tokens[0]:
            return []
        import numpy as np

        mask = np.array([float(k == kind) for k in self.bm25_kinds]) if kind else None
        docs, scores = self.bm25.retrieve(tokens, k=min(n, len(self.bm25_ids)),
                                          show_progress=False, weight_mask=mask)
        return [self.bm25_ids[i] for i, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def fetch(self, ids: list[str], vector: list[float]) -> list[Passage]:
        """Keyword-only hits, scored by cosine too so abstention sees one scale."""
        got = self.collection.get(ids=ids, include=["documents", "metadatas", "embeddings"])
        return [to_passage(cid, text, meta, float(sum(a * b for a, b in zip(
            vector, emb, strict=True)))) for cid, text, meta, emb in zip(
            got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)]


class Retriever:
    """Searches the curated index and, when present, the index of the user's uploads."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or Embedder(settings)
        self.shards = [Shard(settings, self.embedder),
                       Shard(settings.user_settings(), self.embedder, required=False)]
        self.last_ms: float = 0.0

    def search(self, question: str, k: int | None = None, kind: Kind | None = None
               ) -> list[Passage]:
        """The k best passages for a question, best first, numbered from 1."""
        import httpx
        from chromadb.errors import ChromaError

        start = time.perf_counter()
        k, n = k or self.settings.k, self.settings.candidates
        vector = self.embedder.embed([question])[0]
        tokens = bm25_tokens([question])
        found: dict[str, Passage] = {}
        for shard in self.shards:
            try:
                self._search_shard(shard, vector, tokens, n, kind, found)
            except (httpx.HTTPError, ChromaError) as exc:  # server mode: the server is gone
                raise ServerUnavailable(
                    f"the index at {shard.index.location} is not answering "
                    f"({exc.__class__.__name__}: {str(exc)[:160]}); restart the Chroma server "
                    "and ask again") from exc
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
        vector = self.embedder.embed([question])[0]
        return [to_passage(cid, text, meta, float(sum(a * b for a, b in zip(
            vector, emb, strict=True)))) for cid, text, meta, emb in zip(
            got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)]

    @staticmethod
    def _search_shard(shard: Shard, vector: list[float], tokens: list[list[str]], n: int,
                      kind: str | None, found: dict[str, Passage]) -> None:
        """Both retrievers over one index, their hits merged into found with their ranks."""
        if not shard.refresh():
            return
        for rank, passage in enumerate(shard.vector(vector, n, kind)):
            found[passage.id] = passage
            passage.vector_rank = rank
        ranks = {cid: r for r, cid in enumerate(shard.keyword(tokens, n, kind))}
        extra = [cid for cid in ranks if cid not in found]
        found.update({p.id: p for p in shard.fetch(extra, vector)} if extra else {})
        for cid, rank in ranks.items():
            if cid in found:  # an id removed by an ingest running right now is skipped
                found[cid].keyword_rank = rank
