import pytest

from app.index import IndexError_
from app.retrieve import Retriever
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def retriever(built, embedder):
    return Retriever(built[0], embedder)


def test_keyword_question_finds_the_licence_clause(retriever):
    top = retriever.search("Additional Commercial Terms 700 million monthly active users")[0]
    assert top.source_id == "licence:llama-3.1-license-2024"
    assert top.section.startswith("Section 2")
    assert top.keyword_rank is not None


def test_paraphrase_finds_the_right_article(retriever):
    passages = retriever.search("Can I download a model's parameters and run it on my laptop?")
    assert passages[0].source_id == "open-weights"
    assert [p.n for p in passages] == list(range(1, len(passages) + 1))


def test_kind_filter(retriever):
    passages = retriever.search("Llama 3.1 licence", kind="model")
    assert passages and {p.kind for p in passages} == {"model"}


def test_out_of_scope_scores_low(retriever):
    best = max(p.score for p in retriever.search("best pasta recipe with tomatoes"))
    assert best < retriever.settings.min_score


def test_missing_index_says_how_to_build(tmp_path, embedder):
    with pytest.raises(IndexError_, match="faultline ingest"):
        Retriever(make_settings(tmp_path), embedder).search("anything")


def test_other_embedder_index_says_rebuild(tmp_path, built, embedder):
    import shutil

    from app.index import Index

    settings = make_settings(tmp_path)
    shutil.copytree(built[0].index_dir, settings.index_dir)
    index = Index(settings)
    manifest = index.require_manifest()
    manifest.fingerprint = {**manifest.fingerprint, "embedder": "other-model:768",
                            "dimension": 768}
    index.write_manifest(manifest)
    with pytest.raises(IndexError_, match="--rebuild"):
        Retriever(settings, embedder).search("anything")
