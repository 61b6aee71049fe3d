"""Server mode: the index lives on a real Chroma server (`chroma run`), shared by processes."""

import json
import os
import subprocess
import sys

import pytest

from app.ingest import ingest
from app.retrieve import Retriever
from app.store import IndexError_, open_store
from tests.conftest import FIXTURES, live, make_settings


def server_settings(base, server, **overrides):
    return make_settings(base, corpus_dir=FIXTURES / "corpus", chroma_url=server.url,
                         chroma_poll_seconds=0, **overrides)


def chunk_ids(settings, embedder) -> list[str]:
    return live(settings)[1].get(include=[])["ids"]


def test_ingest_answer_restart_and_nothing_is_lost(tmp_path, chroma_server, embedder, answerer,
                                                   built):
    settings = server_settings(tmp_path, chroma_server)
    first = ingest(settings, embedder=embedder)
    assert first.errors == [] and first.chunks == built[1].chunks  # same as the embedded store
    assert not (tmp_path / "index" / "chroma").exists()  # the vectors went to the server
    ids = chunk_ids(settings, embedder)
    assert len(ids) == len(set(ids)) == first.chunks

    retriever = Retriever(settings, embedder)
    passages = retriever.search("What does section 2 say about monthly active users?")
    assert passages and any(p.keyword_rank is not None for p in passages)  # BM25 from server
    assert any(p.vector_rank is not None for p in passages)
    answer = answerer.__class__(settings, retriever=retriever).ask(
        "What is an open-weight model?")
    assert not answer.abstained and answer.cited

    chroma_server.stop()
    with pytest.raises(IndexError_, match="not answering.*restart the Chroma server"):
        retriever.search("What is an open-weight model?")
    chroma_server.start()
    assert sorted(chunk_ids(settings, embedder)) == sorted(ids)
    again = ingest(settings, embedder=embedder)
    assert (again.added, again.removed, again.unchanged_sources) == (0, 0, first.sources)
    assert retriever.search("What is an open-weight model?")  # the same process reconnects


def test_processes_share_one_server_without_duplicate_chunks(tmp_path, chroma_server,
                                                              embedder):
    """Three `faultline ingest` processes on 'different hosts' (own index dirs) at once."""
    settings = server_settings(tmp_path, chroma_server)
    procs = []
    for n in range(3):
        env = {**os.environ, "FAULTLINE_CHROMA_URL": chroma_server.url,
               "FAULTLINE_CORPUS_DIR": str(FIXTURES / "corpus"),
               "FAULTLINE_INDEX_DIR": str(tmp_path / f"host{n}")}
        procs.append(subprocess.Popen([sys.executable, "-m", "app.cli", "ingest"], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True))
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    manifest = open_store(settings).require_live()
    ids = chunk_ids(settings, embedder)
    assert len(ids) == len(set(ids)) == manifest.chunks
    names = [c.name for c in open_store(settings).client.list_collections()]
    assert names.count(manifest.collection) == 1 and len(
        [n for n in names if n.startswith("chunks-")]) == 1

    # a UI process elsewhere, with an empty index dir, answers from the server's chunks (a
    # fact answer: the table row's passage comes from the server; the LLM is tested above)
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "ask", "--json", "Is GPT-4o open source?"],
        env={**os.environ, "FAULTLINE_CHROMA_URL": chroma_server.url,
             "FAULTLINE_INDEX_DIR": str(tmp_path / "host9"), "FAULTLINE_BACKEND": "embedded",
             "FAULTLINE_CORPUS_DIR": str(FIXTURES / "corpus")},
        capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["citations"] and not answer["abstained"] and answer["text"].startswith("No")


def test_an_unreachable_server_is_a_clear_error_and_the_store_stays_local(tmp_path):
    settings = make_settings(tmp_path, chroma_url="http://127.0.0.1:9")
    with pytest.raises(IndexError_, match="cannot use the Chroma server at http://127.0.0.1:9.*"
                                          "chroma run --path"):
        open_store(settings).live()
    assert settings.user_settings().chroma_url is None  # uploads stay on this machine
    out = subprocess.run([sys.executable, "-m", "app.cli", "ingest"],
                         env={**os.environ, "FAULTLINE_CHROMA_URL": "chroma:8000"},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "http://chroma.internal:8000" in out.stderr
