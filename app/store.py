"""The vector store component: one `Store` interface, two implementations (an embedded Chroma
folder, a Chroma server). Chroma is the record of what is indexed: chunks carry their source id
and content hash, and each build's state lives in its collection's metadata."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from app.keywords import Keywords
from app.records import ChunkMeta
from app.settings import Settings, go_offline

COLLECTION_PREFIX = "chunks-"


class IndexError_(RuntimeError):
    """The index is missing, unreadable or built with other settings; the message says the fix."""


class ServerUnavailable(IndexError_):
    """The Chroma server of FAULTLINE_CHROMA_URL cannot be used; the message says why."""


class IndexState(BaseModel):
    """One build of the index, kept in its collection's metadata. A build is live once an
    ingest has completed it (`updated_at` set); readers use the newest live one."""

    collection: str
    fingerprint: dict[str, Any]
    generation: int
    built_at: str
    updated_at: str = ""
    revision: int = 0  # bumped by every completed ingest: what readers poll
    sources: int = 0
    chunks: int = 0

    @property
    def live(self) -> bool:
        return bool(self.updated_at)

    @property
    def stamp(self) -> str:
        return f"{self.collection}@{self.revision}"

    def to_metadata(self) -> dict[str, Any]:
        data = self.model_dump(exclude={"collection"})
        data["fingerprint"] = json.dumps(self.fingerprint, sort_keys=True)
        return data

    @classmethod
    def from_collection(cls, name: str, meta: dict[str, Any] | None) -> IndexState | None:
        """The state a collection's metadata records; None for a collection that is not ours."""
        if not name.startswith(COLLECTION_PREFIX) or not meta or "generation" not in meta:
            return None
        try:
            return cls.model_validate({**meta, "collection": name,
                                       "fingerprint": json.loads(meta.get("fingerprint", ""))})
        except (ValidationError, ValueError) as exc:
            raise IndexError_(
                f"the index collection {name!r} has unreadable state "
                f"({exc.__class__.__name__}); rebuild it with `faultline ingest --rebuild`"
            ) from exc


class SourceRecord(BaseModel):
    """What the store holds of one source, read from its chunks' metadata."""

    source_id: str
    title: str
    kind: str
    path: str
    url: str = ""
    hashes: dict[str, int]  # content hash -> chunks held with it
    expected: dict[str, int]  # content hash -> chunks its source had at that hash
    ids: list[str]

    @property
    def complete_hash(self) -> str | None:
        """The content hash this source is completely and only indexed at, else None."""
        if len(self.hashes) != 1:
            return None
        (digest, held), = self.hashes.items()
        return digest if held == self.expected[digest] else None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(Protocol):
    """What ingest and retrieval need from a vector store."""

    location: str
    poll_seconds: float  # how long a reader may trust the last stamp it read

    def states(self) -> list[IndexState]: ...
    def live(self) -> IndexState | None: ...
    def require_live(self) -> IndexState: ...
    def create(self, state: IndexState) -> Any: ...
    def open(self, name: str) -> Any: ...
    def commit(self, state: IndexState) -> None: ...
    def drop_others(self, keep: str) -> None: ...
    def has_keywords(self, name: str) -> bool: ...
    def save_keywords(self, collection: Any, name: str) -> None: ...
    def keywords(self, collection: Any, name: str) -> Keywords: ...


_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


def _cached_client(key: str, make: Callable[[], object]):
    """One Chroma client per store and process: Chroma's own client cache is not safe when
    threads (the UI's warm-up and its first request) open the same store at once."""
    with _clients_lock:
        if key not in _clients:
            go_offline()
            _clients[key] = make()
        return _clients[key]


class ChromaStore:
    """What both stores share: builds as collections, their state in collection metadata."""

    location = ""
    poll_seconds = 0.0

    def __init__(self, settings: Settings):
        self.settings = settings
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = self.make_client()
        return self._client

    def make_client(self):  # pragma: no cover - each store makes its own
        raise NotImplementedError

    def states(self) -> list[IndexState]:
        """Every build in the store, oldest generation first."""
        found = [IndexState.from_collection(c.name, c.metadata)
                 for c in self.client.list_collections()]
        return sorted((s for s in found if s), key=lambda s: s.generation)

    def live(self) -> IndexState | None:
        """The newest completed build, or None when no ingest has completed one."""
        done = [s for s in self.states() if s.live]
        return done[-1] if done else None

    def require_live(self) -> IndexState:
        state = self.live()
        if state is None:
            raise IndexError_(f"no index at {self.location}: build it with `faultline ingest`")
        return state

    def create(self, state: IndexState):
        return self.client.get_or_create_collection(
            state.collection, embedding_function=None, metadata=state.to_metadata(),
            configuration={"hnsw": {"space": "cosine"}})

    def open(self, name: str):
        try:
            return self.client.get_collection(name, embedding_function=None)
        except Exception as exc:  # chroma raises NotFoundError/ValueError by version
            raise IndexError_(
                f"the index collection {name!r} cannot be opened ({exc}); rebuild with "
                "`faultline ingest --rebuild`") from exc

    def commit(self, state: IndexState) -> None:
        """Mark a build complete: the one metadata write that makes it the live index."""
        state.updated_at, state.revision = now(), time.time_ns()
        self.open(state.collection).modify(metadata=state.to_metadata())

    def drop_others(self, keep: str) -> None:
        for col in self.client.list_collections():
            if col.name.startswith(COLLECTION_PREFIX) and col.name != keep:
                self.client.delete_collection(col.name)

    def has_keywords(self, name: str) -> bool:
        return True

    def save_keywords(self, collection, name: str) -> None:
        """Server mode keeps no keyword index: each reader derives it from the chunks."""

    def keywords(self, collection, name: str) -> Keywords:
        return Keywords.build(*keyword_inputs(collection))


class LocalStore(ChromaStore):
    """Chroma persisted in `index_dir/chroma`, the keyword index saved beside it."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.dir = settings.index_dir
        self.location = str(self.dir)

    def make_client(self):
        path = (self.dir / "chroma").resolve()

        def make():
            import chromadb

            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=chromadb.Settings(
                anonymized_telemetry=False, allow_reset=False))

        return _cached_client(str(path), make)

    def keywords_dir(self, name: str) -> Path:
        return self.dir / f"bm25-{name}"

    def has_keywords(self, name: str) -> bool:
        return Keywords.saved(self.keywords_dir(name))

    def save_keywords(self, collection, name: str) -> None:
        Keywords.build(*keyword_inputs(collection)).save(self.keywords_dir(name))

    def keywords(self, collection, name: str) -> Keywords:
        folder = self.keywords_dir(name)
        if not Keywords.saved(folder):
            raise IndexError_("the keyword index is missing; run `faultline ingest`")
        return Keywords.load(folder)

    def drop_others(self, keep: str) -> None:
        import shutil

        super().drop_others(keep)
        for folder in self.dir.glob(f"bm25-{COLLECTION_PREFIX}*"):
            if folder.name != f"bm25-{keep}":
                shutil.rmtree(folder, ignore_errors=True)


class ServerStore(ChromaStore):
    """A Chroma server (FAULTLINE_CHROMA_URL), asked for its state at most once per poll."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.location = f"{settings.chroma_url} (database {settings.chroma_database})"
        self.poll_seconds = settings.chroma_poll_seconds

    def make_client(self):
        settings, url = self.settings, self.settings.chroma_url or ""

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

        return _cached_client(f"{url}|{settings.chroma_tenant}|{settings.chroma_database}",
                              make)


def open_store(settings: Settings) -> LocalStore | ServerStore:
    """The store the settings name: a Chroma server when chroma_url is set, else local."""
    return ServerStore(settings) if settings.chroma_url else LocalStore(settings)


def read_all(collection, include: list[str], page: int = 5000,
             where: dict | None = None) -> dict[str, list]:
    """Every record of a collection (or those matching `where`), read in pages (a server caps
    what one request returns): {"ids": [...], and one list per included field}."""
    out: dict[str, list] = {key: [] for key in ["ids", *include]}
    while True:
        got = collection.get(include=include, limit=page, offset=len(out["ids"]), where=where)
        for key in out:
            out[key] += got[key]
        if len(got["ids"]) < page:
            return out


def keyword_inputs(collection) -> tuple[list[str], list[str], list[str]]:
    """(ids, kinds, texts) of every chunk: what a keyword index is built from."""
    got = read_all(collection, ["documents", "metadatas"])
    return got["ids"], [m["kind"] for m in got["metadatas"]], got["documents"]


def source_records(collection) -> dict[str, SourceRecord]:
    """Every source the collection holds chunks of, from the chunks' own metadata."""
    got = read_all(collection, ["metadatas"])
    records: dict[str, SourceRecord] = {}
    for cid, raw in zip(got["ids"], got["metadatas"], strict=True):
        meta = ChunkMeta.from_chroma(raw)
        rec = records.get(meta.source_id)
        if rec is None:
            rec = records[meta.source_id] = SourceRecord(
                source_id=meta.source_id, title=meta.title, kind=meta.kind, path=meta.path,
                url=meta.url, hashes={}, expected={}, ids=[])
        rec.hashes[meta.content_hash] = rec.hashes.get(meta.content_hash, 0) + 1
        rec.expected[meta.content_hash] = meta.source_chunks
        rec.ids.append(cid)
    return records
