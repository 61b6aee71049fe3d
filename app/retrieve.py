"""Stage 3: question -> passages. Hybrid search: Chroma vectors + BM25 keywords over the same
chunks, fused with reciprocal rank fusion. Reloads by itself when an ingest changes the index."""

from __future__ import annotations

import time
from typing import Literal

from pydantic import BaseModel

from app.embed import Embedder
from app.index import Index, IndexError_, bm25_tokens
from app.ingest import fingerprint
from app.settings import Settings

Kind = Literal["article", "licence", "model"]


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


class Retriever:
    """Loads the index once and keeps it; checks the manifest's mtime on every search."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or Embedder(settings)
        self.index = Index(settings)
        self._stamp: float | None = None
        self.last_ms: float = 0.0

    def _refresh(self) -> None:
        path = self.index.manifest_path
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if stamp is not None and stamp == self._stamp:
            return
        manifest = self.index.require_manifest()
        fp = fingerprint(self.settings, self.embedder)
        if manifest.fingerprint.get("embedder") != fp["embedder"] or \
                manifest.fingerprint.get("dimension") != fp["dimension"]:
            raise IndexError_(
                f"the index was built with embedder {manifest.fingerprint.get('embedder')}, "
                f"but the configured one is {fp['embedder']}: rebuild with "
                "`faultline ingest --rebuild`"
            )
        self.manifest = manifest
        self.collection = self.index.collection(manifest.collection, self.embedder.function)
        self.bm25, self.bm25_ids, self.bm25_kinds = self.index.load_bm25(manifest.collection)
        self._stamp = stamp

    def search(self, question: str, k: int | None = None, kind: Kind | None = None
               ) -> list[Passage]:
        """The k best passages for a question, best first, numbered from 1."""
        start = time.perf_counter()
        self._refresh()
        k = k or self.settings.k
        n = self.settings.candidates
        vector = self.embedder.embed([question])[0]
        where = {"kind": kind} if kind else None
        count = self.collection.count()
        if count == 0:
            return []
        hits = self.collection.query(query_embeddings=[vector], n_results=min(n, count),
                                     where=where, include=["documents", "metadatas",
                                                          "distances"])
        found: dict[str, Passage] = {}
        for rank, (cid, text, meta, dist) in enumerate(zip(
                hits["ids"][0], hits["documents"][0], hits["metadatas"][0],
                hits["distances"][0], strict=True)):
            found[cid] = self._passage(cid, text, meta, 1.0 - dist)
            found[cid].vector_rank = rank
        keyword_ranks = {cid: r for r, cid in enumerate(self._keyword(question, n, kind))}
        extra = [cid for cid in keyword_ranks if cid not in found]
        if extra:  # keyword-only hits: fetch them and score them by cosine too
            got = self.collection.get(ids=extra, include=["documents", "metadatas",
                                                          "embeddings"])
            for cid, text, meta, emb in zip(got["ids"], got["documents"], got["metadatas"],
                                            got["embeddings"], strict=True):
                found[cid] = self._passage(cid, text, meta, float(sum(
                    a * b for a, b in zip(vector, emb, strict=True))))
        for cid, rank in keyword_ranks.items():
            found[cid].keyword_rank = rank
        for p in found.values():
            p.rrf = sum(1.0 / (self.settings.rrf_k + r + 1)
                        for r in (p.vector_rank, p.keyword_rank) if r is not None)
        best = sorted(found.values(), key=lambda p: (-p.rrf, -p.score))[:k]
        for number, passage in enumerate(best, 1):
            passage.n = number
        self.last_ms = (time.perf_counter() - start) * 1000
        return best

    def _keyword(self, question: str, n: int, kind: str | None) -> list[str]:
        if self.bm25 is None:
            return []
        import numpy as np

        mask = None
        if kind:
            mask = np.array([1.0 if k == kind else 0.0 for k in self.bm25_kinds])
        tokens = bm25_tokens([question])
        if not tokens[0]:
            return []
        docs, scores = self.bm25.retrieve(tokens, k=min(n, len(self.bm25_ids)),
                                          show_progress=False, weight_mask=mask)
        return [self.bm25_ids[i] for i, s in zip(docs[0], scores[0], strict=True) if s > 0]

    @staticmethod
    def _passage(cid: str, text: str, meta: dict, score: float) -> Passage:
        return Passage(id=cid, text=text, source_id=meta["source_id"], title=meta["title"],
                       kind=meta["kind"], section=meta.get("section", ""),
                       url=meta.get("url", ""), score=round(score, 4))
