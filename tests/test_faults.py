"""Faults: an ingest killed halfway, and an ingest while the index is being read."""

import shutil
import signal
import subprocess
import sys

import pytest

from app.ingest import Chunker, ingest
from app.load import Source, load_all
from app.retrieve import Retriever
from app.settings import ROOT
from app.store import open_store, source_records
from tests.conftest import live, make_settings


def expected_ids(settings, embedder) -> set[str]:
    """The chunk ids a clean build makes: chunking only, nothing embedded."""
    chunker = Chunker(embedder, settings)
    return {c.id for s in load_all(settings) if isinstance(s, Source) for c in chunker.split(s)}


@pytest.mark.slow
def test_kill_9_during_ingest_then_ingest_again(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "articles", corpus / "articles")  # ~400 chunks: enough
    settings = make_settings(tmp_path, corpus_dir=corpus)
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--corpus-dir", str(corpus), "--index-dir",
         str(settings.index_dir), "ingest"], stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # wait until a few batches are in the store, then kill -9
        if line.startswith("Embedding chunks: 64/"):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"
    assert open_store(settings).live() is None  # a build goes live by its last write

    report = ingest(settings, embedder=embedder)
    assert report.errors == [] and report.added < report.chunks  # the killed run's work kept
    built, collection = live(settings)
    ids = collection.get(include=[])["ids"]
    wanted = expected_ids(settings, embedder)
    assert len(ids) == len(set(ids)) == len(wanted) == built.chunks
    records = source_records(collection)
    assert set(ids) == wanted == {c for r in records.values() for c in r.ids}
    assert all(r.complete_hash for r in records.values())


def test_reader_sees_a_new_ingest_without_restart(tmp_path, small_corpus, embedder):
    settings = make_settings(tmp_path, corpus_dir=small_corpus)
    ingest(settings, embedder=embedder)
    retriever = Retriever(settings, embedder)  # e.g. the one inside a running `serve`
    assert "quokka" not in " ".join(p.text for p in retriever.search("quokka mascot"))
    (small_corpus / "mascot.md").write_text("# Mascot\n\n## Who\n\nThe quokka is our mascot.\n")
    ingest(settings, embedder=embedder)
    assert retriever.search("quokka mascot")[0].source_id == "mascot.md"


@pytest.mark.slow
def test_disk_full_during_ingest_keeps_previous_index(tmp_path, small_corpus, embedder):
    """Writes beyond a file-size limit fail like a full disk (RLIMIT_FSIZE, SIGXFSZ ignored)."""
    import resource

    settings = make_settings(tmp_path, corpus_dir=small_corpus)
    ingest(settings, embedder=embedder)
    before = open_store(settings).live()
    answer_before = Retriever(settings, embedder).search("closed models")[0].id
    words = ["open", "closed", "weights", "licence", "model", "data", "code", "terms", "use",
             "share"]
    for n in range(10):  # new text: more than the 4 KB of room left, in few chunks to embed
        (small_corpus / f"extra-{n}.md").write_text(
            f"# Extra {n}\n\n## Part\n\n" + " ".join(words[(i * n) % 10] for i in range(180)))
    limit = max(p.stat().st_size for p in settings.index_dir.rglob("*") if p.is_file())

    def full_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit + 4096, limit + 4096))

    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "--corpus-dir", str(small_corpus), "--index-dir",
         str(settings.index_dir), "ingest"], capture_output=True, text=True, timeout=300,
        preexec_fn=full_disk)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "could not write the index" in result.stderr
    assert "previous index is unchanged" in result.stderr
    assert open_store(settings).live() == before
    assert Retriever(settings, embedder).search("closed models")[0].id == answer_before
    assert ingest(settings, embedder=embedder).errors == []  # space back: it completes


@pytest.mark.slow
def test_two_ingests_into_one_index_take_turns(tmp_path):
    """A second `faultline ingest --rebuild` waits for the first, says so, and both finish."""
    import time

    settings = make_settings(tmp_path, corpus_dir=ROOT / "tests" / "fixtures" / "corpus")
    command = [sys.executable, "-m", "app.cli", "--corpus-dir", str(settings.corpus_dir),
               "--index-dir", str(settings.index_dir), "ingest", "--rebuild"]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    lock = settings.index_dir / "ingest.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        assert first.poll() is None and time.monotonic() < deadline, "first never locked"
        time.sleep(0.05)
    second = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    errors = [p.communicate(timeout=300)[1] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], errors
    assert f"another ingest is running (pid {first.pid}); waiting" in errors[1]
    assert "Missing metadata segment" not in errors[0] + errors[1]
    store = open_store(settings)
    assert [c.name for c in store.client.list_collections()] == [store.require_live().collection]
    assert Retriever(settings).search("What is an open-weight model?")
