"""The vector store component: a Chroma collection, a BM25 index over the same chunks, and the
manifest that records what was indexed with which settings."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from app.settings import Settings, go_offline

MANIFEST = "manifest.json"
COLLECTION_PREFIX = "chunks-"


class IndexError_(RuntimeError):
    """The index is missing, unreadable or built with other settings; the message says the fix."""


class SourceEntry(BaseModel):
    hash: str
    title: str
    kind: str
    path: str
    url: str = ""
    chunk_ids: list[str]


class Manifest(BaseModel):
    """What is in the index: written last by ingest, so it always describes a usable state."""

    version: int = 1
    fingerprint: dict[str, Any]
    collection: str
    generation: int = 0
    sources: dict[str, SourceEntry] = Field(default_factory=dict)
    built_at: str = ""
    updated_at: str = ""

    @property
    def chunk_count(self) -> int:
        return sum(len(s.chunk_ids) for s in self.sources.values())


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file and rename, so a crash never leaves a half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


def shared_client(path: Path):
    """One Chroma client per store and process: Chroma's own client cache is not safe when
    threads (the UI's warm-up and its first request) open the same store at once."""
    with _clients_lock:
        key = str(path.resolve())
        if key not in _clients:
            go_offline()
            import chromadb

            path.mkdir(parents=True, exist_ok=True)
            _clients[key] = chromadb.PersistentClient(
                path=key, settings=chromadb.Settings(anonymized_telemetry=False,
                                                     allow_reset=False))
        return _clients[key]


class Index:
    """Chroma (persistent, cosine) + BM25 (bm25s, persisted next to it) + manifest.json."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.dir = settings.index_dir
        self._client = None

    # ------------------------------------------------------------ manifest
    @property
    def manifest_path(self) -> Path:
        return self.dir / MANIFEST

    def read_manifest(self) -> Manifest | None:
        if not self.manifest_path.exists():
            return None
        try:
            return Manifest.model_validate_json(self.manifest_path.read_text())
        except ValueError as exc:
            raise IndexError_(
                f"the index manifest {self.manifest_path} is unreadable ({exc.__class__.__name__});"
                " rebuild it with `faultline ingest --rebuild`"
            ) from exc

    def write_manifest(self, manifest: Manifest) -> None:
        write_atomic(self.manifest_path, manifest.model_dump_json(indent=1))

    def require_manifest(self) -> Manifest:
        manifest = self.read_manifest()
        if manifest is None:
            raise IndexError_(
                f"no index at {self.dir}: build it with `faultline ingest`"
            )
        return manifest

    # ------------------------------------------------------------ chroma
    @property
    def client(self):
        if self._client is None:
            self._client = shared_client(self.dir / "chroma")
        return self._client

    def collection(self, name: str, embedding_function, create: bool = False):
        """Open (or create) a collection, always with our embedding function."""
        if create:
            return self.client.get_or_create_collection(
                name, embedding_function=embedding_function,
                configuration={"hnsw": {"space": "cosine"}},
            )
        try:
            return self.client.get_collection(name, embedding_function=embedding_function)
        except Exception as exc:  # chroma raises NotFoundError/ValueError by version
            raise IndexError_(
                f"the index collection {name!r} cannot be opened ({exc}); rebuild with "
                "`faultline ingest --rebuild`"
            ) from exc

    def drop_other_collections(self, keep: str) -> None:
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(COLLECTION_PREFIX) and name != keep:
                self.client.delete_collection(name)

    # ------------------------------------------------------------ bm25
    def bm25_dir(self, collection: str) -> Path:
        return self.dir / f"bm25-{collection}"

    def save_bm25(self, collection: str, ids: list[str], kinds: list[str], texts: list[str]):
        """Build the keyword index over all chunks and persist it beside the collection."""
        import bm25s

        final = self.bm25_dir(collection)
        tmp = final.with_name(final.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if texts:
            retriever = bm25s.BM25()
            retriever.index(bm25_tokens(texts), show_progress=False)
            retriever.save(str(tmp))
        (tmp / "ids.json").write_text(json.dumps({"ids": ids, "kinds": kinds}))
        old = final.with_name(final.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)

    def load_bm25(self, collection: str):
        """(retriever or None, ids, kinds) as saved by the last ingest."""
        import bm25s

        folder = self.bm25_dir(collection)
        if not (folder / "ids.json").exists():
            raise IndexError_("the keyword index is missing; run `faultline ingest`")
        meta = json.loads((folder / "ids.json").read_text())
        retriever = bm25s.BM25.load(str(folder)) if meta["ids"] else None
        return retriever, meta["ids"], meta["kinds"]

    def drop_other_bm25(self, keep: str) -> None:
        for folder in self.dir.glob(f"bm25-{COLLECTION_PREFIX}*"):
            if folder.name != f"bm25-{keep}":
                shutil.rmtree(folder, ignore_errors=True)


def bm25_tokens(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stemmed, stop-word-free tokens: the same for chunks and queries."""
    import bm25s
    import Stemmer

    return bm25s.tokenize(
        texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), return_ids=False,
        show_progress=False,
    )
