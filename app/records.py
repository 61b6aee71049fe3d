"""The typed records that flow between stages: what a section and a chunk know about where they
come from. Built by load and ingest, stored as Chroma metadata, read back by retrieval."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

Kind = Literal["article", "licence", "model", "upload"]


class SectionMeta(BaseModel):
    """A section of a loaded source (a Markdown heading, a licence clause, a PDF page)."""

    source_id: str
    title: str
    kind: Kind
    url: str = ""
    path: str = ""  # how load.reload_source finds the document again
    section: str = ""


class ChunkMeta(SectionMeta):
    """A chunk in the index. `source_chunks` is how many chunks its source has at
    `content_hash`: a source is completely indexed when that many are held."""

    content_hash: str
    chunk: int
    source_chunks: int
    chunk_id: str

    def to_chroma(self) -> dict[str, Any]:
        return self.model_dump()

    @classmethod
    def from_chroma(cls, meta: dict[str, Any]) -> ChunkMeta:
        return cls.model_validate(meta)
