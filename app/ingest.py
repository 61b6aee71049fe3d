"""Stage 2: sections -> chunks -> index. Incremental and crash-safe: chunk ids are content
hashes, a source completely held at its file hash is skipped, and a build becomes the live
index only by its last write. One ingest per index at a time."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from langchain_core.documents import Document

from app.embed import Embedder
from app.load import LoadError, Source, load_all
from app.records import ChunkMeta
from app.settings import Settings
from app.store import (
    COLLECTION_PREFIX,
    IndexError_,
    IndexState,
    Store,
    now,
    open_store,
    source_records,
)

BATCH = 64
CHUNKER_VERSION = 2  # 2: chunks record their source's chunk count (source_chunks)


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
        pieces: dict[str, tuple[str, dict]] = {}  # chunk id -> (text, section metadata)
        for section in source.sections:
            label = section.metadata.get("section", "")
            header = source.title + (f" — {label}" if label else "")
            budget = max(32, self.size - self.embedder.count_tokens(header + "\n\n"))
            for piece in self._splitter(budget).split_text(section.page_content):
                for text in self._fit(header, piece):
                    cid = hashlib.sha256(f"{source.id}\n{text}".encode()).hexdigest()[:32]
                    pieces.setdefault(cid, (text, section.metadata))
        return [Document(id=cid, page_content=text, metadata=ChunkMeta(
                    **meta, content_hash=source.content_hash, chunk=n,
                    source_chunks=len(pieces), chunk_id=cid).to_chroma())
                for n, (cid, (text, meta)) in enumerate(pieces.items())]


def fingerprint(settings: Settings, embedder: Embedder) -> dict:
    """Everything that changes the vectors or the chunks; a change forces a rebuild."""
    return {"embedder": embedder.name, "dimension": embedder.dimension,
            "chunk_tokens": settings.chunk_tokens, "chunk_overlap": settings.chunk_overlap,
            "chunker": CHUNKER_VERSION}


def collection_name(fp: dict, generation: int) -> str:
    digest = hashlib.sha256(json.dumps(fp, sort_keys=True).encode()).hexdigest()[:10]
    return f"{COLLECTION_PREFIX}{digest}-g{generation}"


@contextlib.contextmanager
def one_at_a_time(settings: Settings, waiting: Callable[[str], None] | None = None
                  ) -> Iterator[None]:
    """Hold the index's ingest lock; a second ingest waits for the first (saying so once)."""
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    path = settings.index_dir / "ingest.lock"
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            if waiting:
                waiting(f"another ingest is running (pid {holder}); waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def ingest(
    settings: Settings,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
    embedder: Embedder | None = None,
    waiting: Callable[[str], None] | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus, embedding only chunks it does not hold yet."""
    with one_at_a_time(settings, waiting):
        return _ingest(settings, rebuild, progress, embedder or Embedder(settings))


def _build(store: Store, fp: dict, rebuild: bool) -> tuple[IndexState, bool]:
    """The build to write into: the live one when its settings match, else the one an
    interrupted build with these settings left (its chunks are reused), else a new one."""
    states = store.states()
    live = next((s for s in reversed(states) if s.live), None)
    if not rebuild and live is not None and live.fingerprint == fp:
        return live, False
    newest = max((s.generation for s in states), default=0)
    unfinished = [s for s in states if not s.live and s.fingerprint == fp]
    if unfinished and not rebuild and unfinished[-1].generation == newest:
        return unfinished[-1], True
    state = IndexState(collection=collection_name(fp, newest + 1), fingerprint=fp,
                       generation=newest + 1, built_at=now())
    return state, True


def _ingest(settings: Settings, rebuild: bool, progress: Callable[[int, int], None] | None,
            embedder: Embedder) -> IngestReport:
    start = time.perf_counter()
    report = IngestReport()
    store = open_store(settings)
    state, report.rebuilt = _build(store, fingerprint(settings, embedder), rebuild)
    collection = store.create(state)
    held = source_records(collection)

    # 1. load every source; a source completely held at its content hash is not re-chunked
    chunker = Chunker(embedder, settings)
    paths: dict[str, str] = {}  # source id -> path, of every source still in the corpus
    pending: dict[str, Document] = {}
    failed_paths = set()
    for item in load_all(settings):
        if isinstance(item, LoadError):
            report.errors.append(item)
            failed_paths.add(item.source)
            continue
        if item.id in paths:
            report.errors.append(LoadError(
                item.path, f"duplicate id {item.id!r} (also used by {paths[item.id]})",
                "give each document a unique `id` in its front matter"))
            continue
        paths[item.id] = item.path
        known = held.get(item.id)
        if known and known.complete_hash == item.content_hash and known.path == item.path:
            report.unchanged_sources += 1
            continue
        pending.update({c.id: c for c in chunker.split(item)})
    # a source that fails to load now keeps its previous chunks: nothing is lost
    kept = {sid for sid, rec in held.items() if sid not in paths and rec.path in failed_paths}

    # 2. diff against what the collection holds (also completes an interrupted ingest)
    held_ids = {cid for rec in held.values() for cid in rec.ids}
    changed = {c.metadata["source_id"] for c in pending.values()}
    stale = {cid for sid, rec in held.items() if sid in changed or (
        sid not in paths and sid not in kept) for cid in rec.ids} - set(pending)
    to_add = [c for cid, c in pending.items() if cid not in held_ids]
    to_relabel = [c for cid, c in pending.items() if cid in held_ids]
    import httpx
    from chromadb.errors import ChromaError

    state.sources = len(paths) + len(kept)
    state.chunks = len(held_ids - stale) + len(to_add)
    try:
        _write(store, collection, state, to_add, to_relabel, stale, embedder, report,
               progress)
    except (OSError, ChromaError, httpx.HTTPError) as exc:  # disk full, read-only, server
        raise IndexError_(
            f"could not write the index at {store.location} ({exc}); the previous index "
            "is unchanged and still answers. Free disk space, fix permissions or restart the "
            "server, then run `faultline ingest` again") from exc
    store.drop_others(keep=state.collection)
    report.sources, report.chunks = state.sources, state.chunks
    report.seconds = time.perf_counter() - start
    return report


def _write(store: Store, collection, state: IndexState, to_add: list[Document],
           to_relabel: list[Document], stale: set[str], embedder: Embedder,
           report: IngestReport, progress: Callable[[int, int], None] | None) -> None:
    """Add first, then remove, then the keyword index, then commit the build: a failure at
    any point leaves the live build with all of its chunks."""
    for offset in range(0, len(to_add), BATCH):
        batch = to_add[offset:offset + BATCH]
        texts = [d.page_content for d in batch]
        collection.upsert(ids=[d.id for d in batch], documents=texts,
                          embeddings=embedder.embed(texts),
                          metadatas=[d.metadata for d in batch])
        if progress:
            progress(offset + len(batch), len(to_add))
    for offset in range(0, len(to_relabel), 500):  # same text, new position or source hash
        batch = to_relabel[offset:offset + 500]
        collection.update(ids=[d.id for d in batch], metadatas=[d.metadata for d in batch])
    ordered = sorted(stale)
    for offset in range(0, len(ordered), 500):
        collection.delete(ids=ordered[offset:offset + 500])
    report.added, report.removed = len(to_add), len(stale)
    if (to_add or to_relabel or stale or report.rebuilt or not state.live
            or not store.has_keywords(state.collection)):
        store.save_keywords(collection, state.collection)
    store.commit(state)
