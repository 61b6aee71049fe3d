"""The vector store component: a Chroma collection, a BM25 index over the same chunks, and the
manifest that records what was indexed with which settings."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from app.settings import Settings, go_offline

MANIFEST = "manifest.json"
COLLECTION_PREFIX = "chunks-"


class IndexError_(RuntimeError):
    """The index is missing, unreadable or built with other settings; the message says the fix."""


class ServerUnavailable(IndexError_):
    """The Chroma server of FAULTLINE_CHROMA_URL cannot be used; the message says why."""


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
META_COLLECTION = "faultline-meta"  # server mode: holds the manifest as one record


def _cached_client(key: str, make: Callable[[], object]):
    """One Chroma client per store and process: Chroma's own client cache is not safe when
    threads (the UI's warm-up and its first request) open the same store at once."""
    with _clients_lock:
        if key not in _clients:
            go_offline()
            _clients[key] = make()
        return _clients[key]


def shared_client(path: Path):
    """The embedded store at `path`."""
    def make():
        import chromadb

        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(path.resolve()), settings=chromadb.Settings(anonymized_telemetry=False,
                                                                 allow_reset=False))

    return _cached_client(str(path.resolve()), make)


def server_client(settings: Settings):
    """A client of the Chroma server at settings.chroma_url."""
    url = settings.chroma_url or ""

    def make():
        from urllib.parse import urlsplit

        import chromadb
        import httpx

        parts = urlsplit(url)
        headers = dict(settings.chroma_headers)
        if settings.chroma_token:
            headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
        https = parts.scheme == "https"
        try:
            client = chromadb.HttpClient(
                host=parts.hostname, port=parts.port or (443 if https else 8000),
                ssl=https, headers=headers, tenant=settings.chroma_tenant,
                database=settings.chroma_database,
                settings=chromadb.Settings(anonymized_telemetry=False))
        except Exception as exc:  # connection refused, auth, unknown tenant/database
            raise ServerUnavailable(
                f"cannot use the Chroma server at {url} ({exc.__class__.__name__}: "
                f"{str(exc)[:200]}); start it (`chroma run --path <folder> --port "
                f"<port>`), check FAULTLINE_CHROMA_TOKEN/_TENANT/_DATABASE, or unset "
                "FAULTLINE_CHROMA_URL to use the embedded store") from exc
        # chroma's HTTP session has no timeout; a network needs one
        session = getattr(getattr(client, "_server", None), "_session", None)
        if session is not None:
            session.timeout = httpx.Timeout(settings.request_timeout,
                                            connect=settings.connect_timeout)
        return client

    return _cached_client(f"{url}|{settings.chroma_tenant}|{settings.chroma_database}", make)


class Index:
    """Chroma (persistent, cosine) + BM25 (bm25s, persisted next to it) + manifest.json."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.dir = settings.index_dir
        self.remote = settings.chroma_url is not None
        self._client = self._meta_collection = None

    @property
    def location(self) -> str:
        if self.remote:
            return f"{self.settings.chroma_url} (database {self.settings.chroma_database})"
        return str(self.dir)

    # ------------------------------------------------------------ manifest
    @property
    def manifest_path(self) -> Path:
        return self.dir / MANIFEST

    def _meta(self):
        if self._meta_collection is None:
            self._meta_collection = self.client.get_or_create_collection(
                META_COLLECTION, embedding_function=None)
        return self._meta_collection

    def _manifest_text(self) -> str | None:
        if not self.remote:
            return self.manifest_path.read_text() if self.manifest_path.exists() else None
        got = self._meta().get(ids=[MANIFEST], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def read_manifest(self) -> Manifest | None:
        text = self._manifest_text()
        if text is None:
            return None
        try:
            return Manifest.model_validate_json(text)
        except ValueError as exc:
            raise IndexError_(
                f"the index manifest in {self.location} is unreadable "
                f"({exc.__class__.__name__}); rebuild it with `faultline ingest --rebuild`"
            ) from exc

    def write_manifest(self, manifest: Manifest) -> None:
        """Last step of every ingest; one file rename or one record upsert, so atomic."""
        text = manifest.model_dump_json(indent=1)
        if self.remote:
            self._meta().upsert(ids=[MANIFEST], documents=[text], embeddings=[[0.0]])
        else:
            write_atomic(self.manifest_path, text)

    def require_manifest(self) -> Manifest:
        manifest = self.read_manifest()
        if manifest is None:
            raise IndexError_(f"no index at {self.location}: build it with `faultline ingest`")
        return manifest

    def stamp(self) -> str | None:
        """Changes whenever an ingest writes a new manifest; None when there is none."""
        if not self.remote:
            path = self.manifest_path
            return str(path.stat().st_mtime_ns) if path.exists() else None
        manifest = self.read_manifest()
        return f"{manifest.collection}@{manifest.updated_at}" if manifest else None

    # ------------------------------------------------------------ chroma
    @property
    def client(self):
        if self._client is None:
            self._client = (server_client(self.settings) if self.remote
                            else shared_client(self.dir / "chroma"))
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
        """Build the keyword index over all chunks and persist it beside the collection.
        In server mode nothing is saved: each process derives it from the server's chunks."""
        if self.remote:
            return
        final = self.bm25_dir(collection)
        tmp = final.with_name(final.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        retriever = build_bm25(texts)
        if retriever is not None:
            retriever.save(str(tmp))
        (tmp / "ids.json").write_text(json.dumps({"ids": ids, "kinds": kinds}))
        old = final.with_name(final.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)

    def load_bm25(self, collection):
        """(retriever or None, ids, kinds): as saved by the last ingest, or, in server mode,
        built from the chunks the server holds (so every process searches the same ones)."""
        import bm25s

        if self.remote:
            got = read_all(collection, ["documents", "metadatas"])
            return (build_bm25(got["documents"]), got["ids"],
                    [m["kind"] for m in got["metadatas"]])
        folder = self.bm25_dir(collection.name)
        if not (folder / "ids.json").exists():
            raise IndexError_("the keyword index is missing; run `faultline ingest`")
        meta = json.loads((folder / "ids.json").read_text())
        retriever = bm25s.BM25.load(str(folder)) if meta["ids"] else None
        return retriever, meta["ids"], meta["kinds"]

    def drop_other_bm25(self, keep: str) -> None:
        for folder in self.dir.glob(f"bm25-{COLLECTION_PREFIX}*"):
            if folder.name != f"bm25-{keep}":
                shutil.rmtree(folder, ignore_errors=True)


def read_all(collection, include: list[str], page: int = 5000) -> dict[str, list]:
    """Every record of a collection, read in pages (a server caps what one request returns):
    {"ids": [...], and one list per included field}."""
    out: dict[str, list] = {key: [] for key in ["ids", *include]}
    while True:
        got = collection.get(include=include, limit=page, offset=len(out["ids"]))
        for key in out:
            out[key] += got[key]
        if len(got["ids"]) < page:
            return out


def build_bm25(texts: list[str]):
    """A BM25 index over the texts (None when there are none)."""
    import bm25s

    if not texts:
        return None
    retriever = bm25s.BM25()
    retriever.index(bm25_tokens(texts), show_progress=False)
    return retriever


def bm25_tokens(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stemmed, stop-word-free tokens: the same for chunks and queries."""
    import bm25s
    import Stemmer

    return bm25s.tokenize(
        texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), return_ids=False,
        show_progress=False,
    )
