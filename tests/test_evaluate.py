"""The eval suite: the gold set checked against the corpus, and the regression check."""

import re

import pytest

from app import evaluate
from app.load import licence_data_dir, read_licence_list, read_models, split_front_matter
from app.settings import ROOT

CORPUS = ROOT / "corpus"


def source_texts() -> dict[str, str]:
    texts = {}
    for path in CORPUS.rglob("*.md"):
        meta, _ = split_front_matter(path.read_text())
        texts[meta["id"]] = path.read_text()
    data = licence_data_dir()
    for entry in read_licence_list(CORPUS):
        texts[f"licence:{entry.key}"] = (data / f"{entry.key}.LICENSE").read_text()
    for row in read_models(CORPUS):
        texts[f"model:{row.id}"] = row.passage() + " " + row.model_dump_json()
    return texts


@pytest.fixture(scope="module")
def gold():
    if not evaluate.GOLD.exists():
        pytest.skip("eval/gold.jsonl is not written yet (the evaluation issue)")
    return evaluate.load_gold()


def test_gold_set_shape(gold):
    cats = [g.category for g in gold]
    assert len(gold) >= 100
    assert len({g.id for g in gold}) == len(gold)
    assert sum(not g.answerable for g in gold) >= 0.15 * len(gold)
    assert cats.count("follow_up") >= 10
    assert cats.count("false_premise") + cats.count("injection") >= 10
    assert cats.count("licence_clause") >= 20
    assert all(g.history for g in gold if g.category == "follow_up")


def test_gold_sources_exist_and_hold_the_key_facts(gold):
    texts = source_texts()
    problems = []
    for g in gold:
        for source in g.gold_sources:
            if source not in texts:
                problems.append(f"{g.id}: unknown source {source}")
        if not g.answerable:
            continue
        for fact in g.key_facts:
            if not any(re.search(fact, texts.get(s, "")) for s in g.gold_sources):
                problems.append(f"{g.id}: key fact {fact!r} is in none of its gold sources")
        for pattern in g.forbidden:
            re.compile(pattern)
    assert problems == []


def test_subset_is_fixed_and_stratified(gold):
    first, again = evaluate.stratified(gold, 15), evaluate.stratified(gold, 15)
    assert [g.id for g in first] == [g.id for g in again] and len(first) == 15
    assert len({g.category for g in first}) >= 10


def test_check_names_the_metric_that_fell(tmp_path):
    baseline = tmp_path / "baseline.json"
    report = evaluate.Report(mode="retrieval", key="retrieval-all", k=5, created="now",
                             overall={"recall_at_k": 0.97, "mrr": 0.9}, by_category={},
                             items=[])
    evaluate.update_baseline(report, baseline)
    assert evaluate.check(report, baseline) == []
    report.overall["recall_at_k"] = 0.90
    (problem,) = evaluate.check(report, baseline)
    assert "recall_at_k fell from 0.97 to 0.9" in problem


def test_judge_grades_answers_and_never_enters_the_baseline(tmp_path, built, answerer):
    """--judge talks Ollama's protocol (a loopback fake here: no Ollama on CI); the answer it
    grades comes from the real pipeline."""
    from app.llm import ollama
    from tests.ollama_fake import FakeOllama

    fake = FakeOllama(reply="YES")
    try:
        judge = ollama(built[0].model_copy(update={"ollama_host": fake.url})).chat
        item = evaluate.GoldItem(id="t-1", question="What is an open-weight model?",
                                 category="definition", gold_sources=["open-weights"],
                                 key_facts=["(?i)weights"])
        result = evaluate.run_item(item, answerer.retriever, answerer, 3, judge)
    finally:
        fake.close()
    assert result.judged_ok is True and result.answer
    (request,) = fake.requests
    assert result.answer[:40] in request["messages"][0]["content"]
    report = evaluate.Report(mode="full", key="full-t", k=3, created="now",
                             overall=evaluate.metrics([result]), by_category={}, items=[])
    assert report.overall["judge_accuracy"] == 1.0 and "| judge |" in evaluate.markdown(report)
    evaluate.update_baseline(report, tmp_path / "baseline.json")
    assert "judge_accuracy" not in (tmp_path / "baseline.json").read_text()


def result_for(item, answer: str, abstained: bool = False, cited=()):
    r = evaluate.ItemResult(id=item.id, category=item.category, answerable=item.answerable,
                            retrieved=list(cited), gold_rank=None, retrieval_ms=1.0,
                            answer=answer, abstained=abstained, cited=list(cited))
    return evaluate.score(item, r)


def test_crag_polarity_and_facts_the_question_states():
    item = evaluate.GoldItem(id="t", question="Can I use Llama 3.1 with 900 million users?",
                             category="licence_clause", gold_sources=["x"], polarity="conditional",
                             key_facts=[r"900 million", r"700 million"],
                             forbidden=[r"^Yes\b"])
    right = result_for(item, "Not without a separate licence: above 700 million [1].", cited=["x"])
    assert right.verdict == "conditional" and right.polarity_ok and right.crag == 1
    assert right.missing_facts == []  # '900 million' is in the question: it does not count
    wrong = result_for(item, "Yes, 900 million is fine [1].")
    assert wrong.crag == -1 and wrong.polarity_ok is False and wrong.forbidden_hits
    declined = result_for(item, "I can't answer that.", abstained=True)
    assert declined.crag == 0
    unanswerable = evaluate.GoldItem(id="u", question="Who won?", category="unanswerable",
                                     answerable=False)
    assert result_for(unanswerable, "I can't.", abstained=True).crag == 1
    assert result_for(unanswerable, "France [1].").crag == -1


def test_verdicts_are_read_from_the_answer_start():
    assert evaluate.verdict_of("No, not under the Apache License.") == "no"
    assert evaluate.verdict_of("Only under a condition.") == "conditional"
    assert evaluate.verdict_of("It depends on the version.") == "conditional"
    assert evaluate.verdict_of("Yes. Section 3 grants a patent licence.") == "yes"
    assert evaluate.verdict_of("Llama 2 uses its own licence.") is None


def test_citations_of_another_entity_are_counted():
    from app.entities import catalogue

    cat = catalogue(CORPUS)
    question = "Can I use Llama 3.1 in a product with 900 million users?"
    assert evaluate.wrong_entity(cat, question, ["licence:llama-3.1-license-2024",
                                                 "how-to-choose-a-model-licence"]) == 0
    assert evaluate.wrong_entity(cat, question, ["licence:llama-4-cla-2025"]) == 1
    # the rows of models under the licence asked about are about it; another model's are not
    question = "Which open-weight models use the plain MIT licence?"
    assert evaluate.wrong_entity(cat, question, ["model:phi-4", "model:deepseek-r1"]) == 0
    assert evaluate.wrong_entity(cat, question, ["model:llama-3-1"]) == 1
    # the use policy a model's licence incorporates is about it too (Llama 4's, in its own
    # ScanCode record); another model's policy is not
    question = "Can a company based in France use Llama 4 Scout?"
    assert evaluate.wrong_entity(cat, question, ["licence:llama-4-license-2025"]) == 0
    question = "Can I use Llama 3.1 in a product with 900 million users?"
    assert evaluate.wrong_entity(cat, question, ["licence:llama-4-license-2025"]) == 1


def test_a_rescore_keeps_which_answers_the_model_wrote(tmp_path):
    """Rescoring changes the yardstick, not the answers: a fact answer stays one."""
    gold = {g.id: g for g in evaluate.load_gold()}
    item = gold["kb-001"]

    def answered(by_model: bool) -> evaluate.ItemResult:
        return evaluate.ItemResult(id=item.id, category=item.category, answerable=True,
                                   retrieved=item.gold_sources, gold_rank=1, retrieval_ms=1.0,
                                   answer="Open weights can be downloaded [1].",
                                   abstained=False, model_called=by_model, first_token_ms=5.0)

    for by_model, calls in ((False, 0), (True, 1)):
        report = evaluate.build_report([answered(by_model)], "full", "full-all-embedded", 5)
        path = tmp_path / "report.json"
        path.write_text(report.model_dump_json())
        assert evaluate.rescore(path, CORPUS).overall["model_calls"] == calls
