"""Faults: an ingest killed halfway, and an ingest while the index is being read."""

import shutil
import signal
import subprocess
import sys

from app.index import Index
from app.ingest import Chunker, ingest
from app.load import Source, load_all
from app.retrieve import Retriever
from app.settings import ROOT
from tests.conftest import make_settings


def expected_ids(settings, embedder) -> set[str]:
    """The chunk ids a clean build makes: chunking only, nothing embedded."""
    chunker = Chunker(embedder, settings)
    return {c.id for s in load_all(settings) if isinstance(s, Source) for c in chunker.split(s)}


def test_kill_9_during_ingest_then_ingest_again(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    for folder in ("articles", "models"):
        shutil.copytree(ROOT / "corpus" / folder, corpus / folder)
    settings = make_settings(tmp_path, corpus_dir=corpus)
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--corpus-dir", str(corpus), "--index-dir",
         str(settings.index_dir), "ingest"], stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # wait until a few batches are in the store, then kill -9
        if line.startswith("embedded 64/"):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"
    assert Index(settings).read_manifest() is None  # the manifest is written last

    report = ingest(settings, embedder=embedder)
    assert report.errors == [] and report.added < report.chunks  # the killed run's work kept
    index = Index(settings)
    manifest = index.require_manifest()
    ids = index.collection(manifest.collection, embedder.function).get(include=[])["ids"]
    wanted = expected_ids(settings, embedder)
    assert len(ids) == len(set(ids)) == len(wanted) == manifest.chunk_count
    assert set(ids) == wanted == {c for e in manifest.sources.values() for c in e.chunk_ids}


def test_reader_sees_a_new_ingest_without_restart(tmp_path, small_corpus, embedder):
    settings = make_settings(tmp_path, corpus_dir=small_corpus)
    ingest(settings, embedder=embedder)
    retriever = Retriever(settings, embedder)  # e.g. the one inside a running `serve`
    assert "quokka" not in " ".join(p.text for p in retriever.search("quokka mascot"))
    (small_corpus / "mascot.md").write_text("# Mascot\n\n## Who\n\nThe quokka is our mascot.\n")
    ingest(settings, embedder=embedder)
    assert retriever.search("quokka mascot")[0].source_id == "mascot.md"
