"""Shared fixtures. Every test runs with user state (index, data, .env) in a temp dir; the real
embedder, real Chroma and the real embedded model are used throughout."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.settings import ROOT, Settings, go_offline

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_MODELS = ROOT / "data" / "models"  # assembled GGUF: a cache of package data, not state
TEST_MAX_TOKENS = "160"


# a test that uses one of these runs the embedded LLM, a browser or a Chroma server, or needs
# the whole corpus indexed: it is `slow` (left out of `make test-fast`, run by `make test`)
SLOW_FIXTURES = {"answerer", "full", "page", "browser", "server", "served", "chroma_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test sees the developer's env vars, .env, index or data."""
    go_offline()
    import os

    for name in list(os.environ):  # FAULTLINE_TEST_* configure the tests, not the product
        if (name.startswith("FAULTLINE_") and not name.startswith("FAULTLINE_TEST_")
                or name == "OLLAMA_HOST"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OLLAMA_HOST", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("FAULTLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FAULTLINE_MODELS_DIR", str(SHARED_MODELS))
    monkeypatch.setenv("FAULTLINE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("FAULTLINE_CORPUS_DIR", str(tmp_path / "corpus"))
    # answers the real model writes in tests stop at 160 tokens (the product's default is 320):
    # what the tests read comes first, and `make test` stays within its time
    monkeypatch.setenv("FAULTLINE_MAX_TOKENS", TEST_MAX_TOKENS)


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_settings(base: Path, **overrides) -> Settings:
    values = {"corpus_dir": base / "corpus", "index_dir": base / "index",
              "data_dir": base / "data", "models_dir": SHARED_MODELS, "backend": "embedded",
              "ollama_host": f"http://127.0.0.1:{closed_port()}"}
    return Settings(**{**values, **overrides})


def live(settings: Settings):
    """(state, Chroma collection) of an index's live build."""
    from app.store import open_store

    store = open_store(settings)
    state = store.require_live()
    return state, store.open(state.collection)


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Where tests leave screenshots and timings for a person to look at: the folder named
    by FAULTLINE_TEST_ARTIFACTS, else a temp dir (never the repository)."""
    named = os.environ.get("FAULTLINE_TEST_ARTIFACTS")
    folder = Path(named) if named else tmp_path_factory.mktemp("artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def embedder():
    from app.embed import Embedder

    return Embedder(make_settings(Path("/nonexistent")))


def ingested(tmp_path_factory, embedder, name: str, corpus: Path, base: Path | None = None):
    """A copy of a corpus ingested into a temp index: (settings, ingest report)."""
    from app.ingest import ingest

    base = base or tmp_path_factory.mktemp(name)
    shutil.copytree(corpus, base / "corpus")
    settings = make_settings(base)
    report = ingest(settings, embedder=embedder)
    assert not report.errors, report.errors
    return settings, report


@pytest.fixture(scope="session")
def built(tmp_path_factory, embedder):
    """The fixture corpus (articles, a text file, two licences, a model row), ingested once."""
    return ingested(tmp_path_factory, embedder, "built", FIXTURES / "corpus")


@pytest.fixture(scope="session")
def answerer(built, embedder):
    from app.answer import Answerer
    from app.retrieve import Retriever

    settings, _ = built
    return Answerer(settings, retriever=Retriever(settings, embedder))


@pytest.fixture(scope="session")
def full(tmp_path_factory, embedder):
    """The product's whole corpus/ ingested into a temp index; yields its Retriever. When
    index/ is already built (`make test` builds it first), the copy is brought up to date
    incrementally instead of embedding every chunk again: the same index (the ingest tests
    prove an incremental ingest ends where a fresh one does), in seconds."""
    from app.retrieve import Retriever

    base = tmp_path_factory.mktemp("full")
    prebuilt = ROOT / "index"
    if (prebuilt / "chroma").is_dir():
        shutil.copytree(prebuilt, base / "index", ignore=shutil.ignore_patterns("*.lock"))
    settings, _ = ingested(tmp_path_factory, embedder, "full", ROOT / "corpus", base)
    return Retriever(settings, embedder)


@pytest.fixture
def small_corpus(tmp_path):
    """A writable two-file corpus (no licences) for tests that change files."""
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    for name in ("open-weights.md", "closed-models.md"):
        shutil.copy(FIXTURES / "corpus" / "articles" / name, corpus / "articles" / name)
    return corpus


@contextlib.contextmanager
def serve(settings: Settings, data: Path, args: tuple[str, ...] = (), port: int | None = None,
          **env: str):
    """A real `faultline serve` on a free port (or the one given; loopback unless args say
    --host); yields it, with its URL on loopback."""
    port = port or closed_port()
    env = {**os.environ, "FAULTLINE_INDEX_DIR": str(settings.index_dir),
           "FAULTLINE_CORPUS_DIR": str(settings.corpus_dir), "FAULTLINE_DATA_DIR": str(data),
           "FAULTLINE_BACKEND": "embedded", "GRADIO_TEMP_DIR": str(data / "gradio"), **env}
    log = (data / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port),
                             *args],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                assert proc.poll() is None, (data / "serve.log").read_text()
                assert time.monotonic() < deadline, "serve did not start in 120 s"
                time.sleep(0.5)
        proc.url, proc.data = url, data
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)



@pytest.fixture
def chroma_server(tmp_path):
    """A real Chroma server on a free loopback port, storing in the test's temp dir."""
    from tests.chroma_server import ChromaServer

    server = ChromaServer(tmp_path / "chroma-server", closed_port()).start()
    yield server
    server.stop()
