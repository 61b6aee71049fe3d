"""Stage 2: sections -> chunks -> index. Incremental and crash-safe: chunk ids are content
hashes, unchanged sources are skipped by their file hash, and the manifest is written last."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from langchain_core.documents import Document

from app.embed import Embedder
from app.index import COLLECTION_PREFIX, Index, IndexError_, Manifest, SourceEntry, now, read_all
from app.load import LoadError, Source, load_all
from app.settings import Settings

BATCH = 64
CHUNKER_VERSION = 1


@dataclass
class IngestReport:
    sources: int = 0
    chunks: int = 0
    added: int = 0
    removed: int = 0
    unchanged_sources: int = 0
    rebuilt: bool = False
    errors: list[LoadError] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        verb = "rebuilt" if self.rebuilt else "updated"
        return (f"Index {verb}: {self.sources} sources, {self.chunks} chunks "
                f"({self.added} embedded, {self.removed} removed, {self.unchanged_sources} "
                f"sources unchanged) in {self.seconds:.1f} s; {len(self.errors)} skipped.")


class Chunker:
    """Splits sections with the embedder's own tokenizer so no chunk exceeds what it reads.
    Each chunk starts with its title and section path, which helps both retrievers."""

    def __init__(self, embedder: Embedder, settings: Settings):
        self.embedder = embedder
        self.size = settings.chunk_tokens
        self.overlap = settings.chunk_overlap
        self._splitters: dict[int, object] = {}

    def _splitter(self, budget: int):
        if budget not in self._splitters:
            from langchain_text_splitters import RecursiveCharacterTextSplitter

            self._splitters[budget] = RecursiveCharacterTextSplitter.from_huggingface_tokenizer(
                self.embedder.tokenizer, chunk_size=budget,
                chunk_overlap=min(self.overlap, budget // 4),
                separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
            )
        return self._splitters[budget]

    def _fit(self, header: str, piece: str) -> list[str]:
        """Never let a chunk be silently truncated: halve anything still over the limit."""
        text = f"{header}\n\n{piece}"
        if self.embedder.count_tokens(text) <= self.embedder.max_tokens or len(piece) < 8:
            return [text]
        cut = piece.rfind(" ", 0, len(piece) // 2) + 1 or len(piece) // 2
        return self._fit(header, piece[:cut].strip()) + self._fit(header, piece[cut:].strip())

    def split(self, source: Source) -> list[Document]:
        chunks, seen = [], set()
        for section in source.sections:
            label = section.metadata.get("section", "")
            header = source.title + (f" — {label}" if label else "")
            budget = max(32, self.size - self.embedder.count_tokens(header + "\n\n"))
            for piece in self._splitter(budget).split_text(section.page_content):
                for text in self._fit(header, piece):
                    cid = hashlib.sha256(f"{source.id}\n{text}".encode()).hexdigest()[:32]
                    if cid in seen:
                        continue
                    seen.add(cid)
                    meta = {**section.metadata, "content_hash": source.content_hash,
                            "chunk": len(chunks), "chunk_id": cid}
                    chunks.append(Document(id=cid, page_content=text, metadata=meta))
        return chunks


def fingerprint(settings: Settings, embedder: Embedder) -> dict:
    """Everything that changes the vectors or the chunks; a change forces a rebuild."""
    return {"embedder": embedder.name, "dimension": embedder.dimension,
            "chunk_tokens": settings.chunk_tokens, "chunk_overlap": settings.chunk_overlap,
            "chunker": CHUNKER_VERSION}


def collection_name(fp: dict, generation: int) -> str:
    digest = hashlib.sha256(json.dumps(fp, sort_keys=True).encode()).hexdigest()[:10]
    return f"{COLLECTION_PREFIX}{digest}-{generation}"


def ingest(
    settings: Settings,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
    embedder: Embedder | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus, embedding only chunks it does not hold yet."""
    start = time.perf_counter()
    report = IngestReport()
    embedder = embedder or Embedder(settings)
    index = Index(settings)
    old = index.read_manifest() if not rebuild else None
    fp = fingerprint(settings, embedder)
    if old is not None and old.fingerprint == fp:
        manifest = old.model_copy(deep=True)
    else:  # a fresh collection, or the one an interrupted build left (its chunks are reused)
        gens = _generations(index)
        digest = collection_name(fp, 0).rsplit("-", 1)[0]
        newest = max(gens.values(), default=0)
        generation = newest + 1 if rebuild or digest not in gens else gens[digest]
        if old is not None:
            generation = max(generation, old.generation + 1)
        manifest = Manifest(fingerprint=fp, collection=collection_name(fp, generation),
                            generation=generation, built_at=now())
        report.rebuilt = True
    collection = index.collection(manifest.collection, embedder.function, create=True)

    # 1. load every source; reuse chunk ids of sources whose content hash is unchanged
    chunker = Chunker(embedder, settings)
    fresh: dict[str, SourceEntry] = {}
    pending: dict[str, Document] = {}
    failed_paths = set()
    for item in load_all(settings):
        if isinstance(item, LoadError):
            report.errors.append(item)
            failed_paths.add(item.source)
            continue
        if item.id in fresh:
            report.errors.append(LoadError(
                item.path, f"duplicate id {item.id!r} (also used by {fresh[item.id].path})",
                "give each document a unique `id` in its front matter"))
            continue
        known = manifest.sources.get(item.id)
        if known and known.hash == item.content_hash and known.path == item.path:
            fresh[item.id] = known
            report.unchanged_sources += 1
            continue
        chunks = chunker.split(item)
        url = item.sections[0].metadata.get("url", "") if item.sections else ""
        fresh[item.id] = SourceEntry(hash=item.content_hash, title=item.title, kind=item.kind,
                                     path=item.path, url=url,
                                     chunk_ids=[c.id for c in chunks])
        pending.update({c.id: c for c in chunks})
    # a source that fails to load now keeps its previous chunks: nothing is lost
    for sid, entry in manifest.sources.items():
        if sid not in fresh and entry.path in failed_paths:
            fresh[sid] = entry

    # 2. diff against what the collection really holds (also repairs an interrupted ingest)
    wanted = {cid for entry in fresh.values() for cid in entry.chunk_ids}
    held = set(read_all(collection, [])["ids"])
    missing = sorted(wanted - held)
    unknown = [cid for cid in missing if cid not in pending]
    if unknown:  # manifest promised chunks the store lost: re-chunk those sources
        lost = {sid for sid, e in fresh.items() if set(e.chunk_ids) & set(unknown)}
        by_id = {s.id: s for s in load_all(settings) if isinstance(s, Source) and s.id in lost}
        for source in by_id.values():
            pending.update({c.id: c for c in chunker.split(source)})
        missing = [cid for cid in missing if cid in pending]
    to_add = [pending[cid] for cid in missing]
    import httpx
    from chromadb.errors import ChromaError

    try:
        _write(index, collection, manifest, fresh, to_add, held - wanted, report, progress)
    except (OSError, ChromaError, httpx.HTTPError) as exc:  # disk full, read-only, server
        raise IndexError_(
            f"could not write the index at {index.location} ({exc}); the previous index "
            "is unchanged and still answers. Free disk space, fix permissions or restart the "
            "server, then run `faultline ingest` again") from exc
    index.drop_other_collections(keep=manifest.collection)
    index.drop_other_bm25(keep=manifest.collection)

    report.sources, report.chunks = len(fresh), len(wanted)
    report.seconds = time.perf_counter() - start
    return report


def _write(index: Index, collection, manifest: Manifest, fresh: dict[str, SourceEntry],
           to_add: list[Document], stale_ids: set[str], report: IngestReport,
           progress: Callable[[int, int], None] | None) -> None:
    """Add first, then remove, then the keyword index, then the manifest: a failure at any
    point leaves the last manifest describing chunks that are all still there."""
    for offset in range(0, len(to_add), BATCH):
        batch = to_add[offset:offset + BATCH]
        collection.upsert(ids=[d.id for d in batch], documents=[d.page_content for d in batch],
                          metadatas=[d.metadata for d in batch])
        if progress:
            progress(offset + len(batch), len(to_add))
    stale = sorted(stale_ids)
    for offset in range(0, len(stale), 500):
        collection.delete(ids=stale[offset:offset + 500])
    report.added, report.removed = len(to_add), len(stale)
    changed = report.added or report.removed or report.rebuilt or fresh != manifest.sources
    if not index.remote and (changed or not index.bm25_dir(manifest.collection).exists()):
        got = read_all(collection, ["documents", "metadatas"])
        index.save_bm25(manifest.collection, got["ids"], [m["kind"] for m in got["metadatas"]],
                        got["documents"])
    manifest.sources = fresh
    manifest.updated_at = now()
    index.write_manifest(manifest)


def _generations(index: Index) -> dict[str, int]:
    """Newest generation of each settings digest among the collections in the store."""
    gens: dict[str, int] = {}
    for col in index.client.list_collections():
        name = col if isinstance(col, str) else col.name
        digest, _, tail = name.rpartition("-")
        if name.startswith(COLLECTION_PREFIX) and tail.isdigit():
            gens[digest] = max(gens.get(digest, 0), int(tail))
    return gens
