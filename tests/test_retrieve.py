import pytest

from app.retrieve import Retriever
from app.store import IndexError_
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

    from tests.conftest import live

    settings = make_settings(tmp_path)
    shutil.copytree(built[0].index_dir, settings.index_dir)
    state, collection = live(settings)
    state.fingerprint = {**state.fingerprint, "embedder": "other-model:768", "dimension": 768}
    collection.modify(metadata=state.to_metadata())
    with pytest.raises(IndexError_, match="--rebuild"):
        Retriever(settings, embedder).search("anything")


def test_an_upload_does_not_displace_curated_passages(tmp_path, built, embedder):
    """Both indexes are ranked on one scale: an unrelated upload's best chunk does not tie
    the curated best (it did when each index was ranked on its own and fused by rank)."""
    import shutil

    from app.ingest import ingest

    settings = make_settings(tmp_path, corpus_dir=built[0].corpus_dir)
    shutil.copytree(built[0].index_dir, settings.index_dir)
    questions = ["What is an open-weight model?", "Can I use Llama 3.1 commercially?",
                 "What does the MIT licence require?", "Is GPT-4 open?",
                 "What are the risks of open models?"]
    curated = Retriever(settings, embedder)
    before = {q: [p.id for p in curated.search(q)] for q in questions}
    uploads = settings.uploads_dir
    uploads.mkdir(parents=True)
    (uploads / "holidays.md").write_text(
        "# Office holidays\n\n## Leave\n\nStaff get 25 days of paid leave a year, booked "
        "through the team calendar. Unused days carry over until March.\n")
    assert ingest(settings.user_settings(), embedder=embedder).chunks >= 1
    retriever = Retriever(settings, embedder)
    after = {q: [p.id for p in retriever.search(q)] for q in questions}
    assert after == before  # no upload chunk in any of them, nothing reordered
    mine = retriever.search("How many days of paid leave do staff get?")
    assert mine[0].kind == "upload" and mine[0].source_id == "holidays.md"
