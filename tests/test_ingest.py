from app.ingest import ingest
from app.store import open_store, source_records
from tests.conftest import live, make_settings


def collection_of(settings, embedder):
    return live(settings)


def test_session_index_has_every_kind(built, embedder):
    settings, report = built
    assert report.sources == 7  # 2 articles, 1 text file, 2 licences, 2 model rows
    manifest, collection = collection_of(settings, embedder)
    metas = collection.get(include=["metadatas"])["metadatas"]
    assert {m["kind"] for m in metas} == {"article", "licence", "model"}
    assert collection.count() == manifest.chunks == report.chunks
    for meta in metas:
        assert {"source_id", "title", "kind", "section", "url", "content_hash",
                "source_chunks"} <= set(meta)


def test_no_chunk_is_truncated_by_the_embedder(built, embedder):
    settings, _ = built
    _, collection = collection_of(settings, embedder)
    docs = collection.get(include=["documents"])["documents"]
    longest = max(embedder.count_tokens(d) for d in docs)
    assert longest <= embedder.max_tokens, longest


def test_reingest_is_a_noop(built, embedder):
    settings, first = built
    before = set(collection_of(settings, embedder)[1].get(include=[])["ids"])
    again = ingest(settings, embedder=embedder)
    assert (again.added, again.removed, again.chunks) == (0, 0, first.chunks)
    assert again.unchanged_sources == first.sources
    assert set(collection_of(settings, embedder)[1].get(include=[])["ids"]) == before


def test_edit_delete_and_failure_keep_index_consistent(tmp_path, small_corpus, embedder):
    settings = make_settings(tmp_path, corpus_dir=small_corpus)
    first = ingest(settings, embedder=embedder)
    assert first.errors == [] and first.sources == 2
    doc = small_corpus / "articles" / "open-weights.md"

    doc.write_text(doc.read_text().replace("own hardware", "own laptop"))
    edited = ingest(settings, embedder=embedder)
    assert edited.added >= 1 and edited.removed >= 1 and edited.unchanged_sources == 1
    manifest, collection = collection_of(settings, embedder)
    texts = collection.get(where={"source_id": "open-weights"}, include=["documents"])
    assert any("own laptop" in t for t in texts["documents"])
    assert not any("own hardware" in t for t in texts["documents"])

    good = doc.read_bytes()
    doc.write_bytes(b"\x00\x01 broken")  # the file fails to load: its old chunks stay
    broken = ingest(settings, embedder=embedder)
    assert [e.source for e in broken.errors] == ["articles/open-weights.md"]
    assert broken.chunks == edited.chunks and broken.removed == 0
    doc.write_bytes(good)

    (small_corpus / "articles" / "closed-models.md").unlink()
    deleted = ingest(settings, embedder=embedder)
    manifest, collection = collection_of(settings, embedder)
    assert set(source_records(collection)) == {"open-weights"} and manifest.sources == 1
    assert collection.get(where={"source_id": "closed-models"})["ids"] == []
    assert collection.count() == manifest.chunks == deleted.chunks


def test_duplicate_ids_are_reported(tmp_path, small_corpus, embedder):
    copy = small_corpus / "more" / "open-weights.md"
    copy.parent.mkdir()
    copy.write_bytes((small_corpus / "articles" / "open-weights.md").read_bytes())
    report = ingest(make_settings(tmp_path, corpus_dir=small_corpus), embedder=embedder)
    assert len(report.errors) == 1 and "duplicate id 'open-weights'" in report.errors[0].reason
    assert report.sources == 2


def test_chunk_setting_change_forces_rebuild(tmp_path, small_corpus, embedder):
    ingest(make_settings(tmp_path, corpus_dir=small_corpus), embedder=embedder)
    settings = make_settings(tmp_path, corpus_dir=small_corpus, chunk_tokens=64,
                             chunk_overlap=8)
    report = ingest(settings, embedder=embedder)
    assert report.rebuilt and report.added == report.chunks
    store = open_store(settings)
    names = [c.name for c in store.client.list_collections()]
    assert names == [store.require_live().collection]  # the old collection is gone
