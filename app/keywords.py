"""The keyword half of hybrid search: BM25 (bm25s) over the same chunks as the vectors."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def bm25_tokens(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stemmed, stop-word-free tokens: the same for chunks and queries."""
    import bm25s
    import Stemmer

    return bm25s.tokenize(
        texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), return_ids=False,
        show_progress=False,
    )


@dataclass
class Keywords:
    """A BM25 index with the chunk id and kind of each of its documents."""

    bm25: Any  # bm25s.BM25, or None when there are no chunks
    ids: list[str]
    kinds: list[str]

    @classmethod
    def build(cls, ids: list[str], kinds: list[str], texts: list[str]) -> Keywords:
        import bm25s

        bm25 = None
        if texts:
            bm25 = bm25s.BM25()
            bm25.index(bm25_tokens(texts), show_progress=False)
        return cls(bm25, ids, kinds)

    def save(self, folder: Path) -> None:
        """Write beside the old copy, then swap, so a reader never loads half of one."""
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.bm25 is not None:
            self.bm25.save(str(tmp))
        (tmp / "ids.json").write_text(json.dumps({"ids": self.ids, "kinds": self.kinds}))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def saved(folder: Path) -> bool:
        return (folder / "ids.json").exists()

    @classmethod
    def load(cls, folder: Path) -> Keywords:
        import bm25s

        meta = json.loads((folder / "ids.json").read_text())
        bm25 = bm25s.BM25.load(str(folder)) if meta["ids"] else None
        return cls(bm25, meta["ids"], meta["kinds"])

    def search(self, tokens: list[list[str]], n: int, kind: str | None = None
               ) -> list[tuple[str, float]]:
        """The best n (chunk id, BM25 score) for the tokenized query, best first."""
        if self.bm25 is None or not tokens[0]:
            return []
        import numpy as np

        mask = np.array([float(k == kind) for k in self.kinds]) if kind else None
        docs, scores = self.bm25.retrieve(tokens, k=min(n, len(self.ids)),
                                          show_progress=False, weight_mask=mask)
        return [(self.ids[i], float(s)) for i, s in zip(docs[0], scores[0], strict=True)
                if s > 0]
