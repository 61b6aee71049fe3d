"""`faultline eval`: the gold question set run through retrieval (and answering), with metrics
per category, a JSON + Markdown report, and a regression check against the committed baseline."""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from app.settings import ROOT, Settings

GOLD = ROOT / "eval" / "gold.jsonl"
BASELINE = ROOT / "eval" / "baseline.json"
REPORTS = ROOT / "eval" / "reports"

# how far below the baseline a metric may fall before --check fails (absolute). Key facts and
# cited gold allow one question in the 15-question subset (1/14 answerable = 0.071) to flip.
TOLERANCE = {"recall_at_k": 0.02, "mrr": 0.03, "key_fact_accuracy": 0.08,
             "cited_gold": 0.08, "abstention_precision": 0.1, "abstention_recall": 0.1,
             "crag_score": 0.08, "polarity_accuracy": 0.1, "premise_corrected": 0.15}
# metrics where lower is better: --check fails when they rise above the baseline
CEILING = {"forbidden_violations": 0, "invalid_citations": 0, "wrong_entity_citations": 0}


class GoldItem(BaseModel):
    id: str
    question: str
    category: str
    history: list[dict] = Field(default_factory=list)
    gold_sources: list[str] = Field(default_factory=list)
    gold_section: str = ""
    key_facts: list[str] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list)
    answerable: bool = True
    polarity: Literal["yes", "no", "conditional"] | None = None  # the verdict of a yes/no
    off_topic: bool = False  # no link at all to the domain: declined without a model call


class ItemResult(BaseModel):
    id: str
    category: str
    answerable: bool
    retrieved: list[str]
    gold_rank: int | None  # 1-based rank of the first gold source, None when absent
    retrieval_ms: float
    answer: str | None = None
    abstained: bool | None = None
    facts_ok: bool | None = None
    missing_facts: list[str] = Field(default_factory=list)
    forbidden_hits: list[str] = Field(default_factory=list)
    invalid_citations: int = 0  # numbers in the model's raw output that match no passage
    wrong_entity: int = 0  # cited passages about another model or licence than the one asked
    polarity_ok: bool | None = None  # yes/no questions: the answer leads with the right verdict
    verdict: str | None = None  # the verdict the answer leads with
    crag: int | None = None  # right +1, declined 0, wrong or fooled -1
    model_called: bool | None = None
    cited: list[str] = Field(default_factory=list)  # source ids of the cited passages
    cited_gold: bool | None = None
    first_token_ms: float | None = None
    total_ms: float | None = None
    judged_ok: bool | None = None  # --judge: the Ollama judge's verdict


def load_gold(path: Path = GOLD) -> list[GoldItem]:
    return [GoldItem.model_validate_json(line) for line in path.read_text().splitlines()
            if line.strip()]


def stratified(items: list[GoldItem], n: int | None) -> list[GoldItem]:
    """A fixed subset: categories taken in turn, each in id order, so reruns pick the same."""
    if not n or n >= len(items):
        return items
    by_cat: dict[str, list[GoldItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.id):
        by_cat[item.category].append(item)
    picked, round_ = [], 0
    while len(picked) < n:
        for cat in sorted(by_cat):
            if round_ < len(by_cat[cat]) and len(picked) < n:
                picked.append(by_cat[cat][round_])
        round_ += 1
    return picked


def retrieval_query(item: GoldItem) -> str:
    """Without a model to rewrite follow-ups, retrieval-only mode prepends the user's turns."""
    earlier = [t["content"] for t in item.history if t.get("role") == "user"]
    return " ".join([*earlier, item.question])


def judge_answer(chat, question: str, answer) -> bool:
    """Ask a (larger) model whether the answer is supported by the passages it cited."""
    from app import prompts
    from app.answer import format_passages

    reply = chat.invoke([("human", prompts.JUDGE.format(
        passages=format_passages(answer.cited), question=question, answer=answer.text))])
    return reply.content.strip().upper().startswith("YES")


def run_item(item: GoldItem, retriever, answerer, k: int, judge=None) -> ItemResult:
    from app.answer import Turn

    if answerer is None:
        passages = retriever.search(retrieval_query(item), k=k)
        result = ItemResult(id=item.id, category=item.category, answerable=item.answerable,
                            retrieved=[p.source_id for p in passages], gold_rank=None,
                            retrieval_ms=retriever.last_ms)
    else:
        history = [Turn(role=t["role"], content=t["content"]) for t in item.history]
        answer = answerer.ask(item.question, history=history, k=k)
        passages = answer.passages
        numbers = {p.n for p in passages}
        result = ItemResult(
            id=item.id, category=item.category, answerable=item.answerable,
            retrieved=[p.source_id for p in passages], gold_rank=None,
            retrieval_ms=answer.timings.retrieval_ms, answer=answer.text,
            abstained=answer.abstained, model_called=bool(answer.backend not in ("", "facts")),
            invalid_citations=sum(n not in numbers for n in answer.raw_citations),
            cited=[p.source_id for p in answer.cited],
            first_token_ms=answer.timings.first_token_ms, total_ms=answer.timings.total_ms)
        cat = catalogue_of(answerer.settings.corpus_dir)
        result.wrong_entity = wrong_entity(cat, answer.standalone_question, result.cited)
        score(item, result)
        if judge is not None and result.facts_ok is not None and not answer.abstained:
            result.judged_ok = judge_answer(judge, item.question, answer)
    gold = set(item.gold_sources)
    result.gold_rank = next((r for r, s in enumerate(result.retrieved, 1) if s in gold), None)
    return result


def score(item: GoldItem, result: ItemResult) -> ItemResult:
    """Score an answer against its gold item: forbidden patterns, key facts (those the
    question already states do not count), verdict and polarity, and the CRAG score."""
    text = result.answer or ""
    result.forbidden_hits = [f for f in item.forbidden if re.search(f, text)]
    result.verdict = None if result.abstained else verdict_of(text)
    if item.answerable and not result.abstained:
        facts = [f for f in item.key_facts if not re.search(f, item.question)]
        result.missing_facts = [f for f in facts if not re.search(f, text)]
        result.facts_ok = not result.missing_facts
        result.cited_gold = bool(set(result.cited) & set(item.gold_sources))
        if item.polarity:
            result.polarity_ok = result.verdict == item.polarity
    elif item.answerable:
        result.facts_ok, result.cited_gold = False, False
        result.polarity_ok = False if item.polarity else None
    result.crag = crag(item, result)
    return result


def rescore(path: Path, corpus_dir: Path) -> Report:
    """An earlier full report scored again against the current gold set and metrics (its
    answers as they were: what changed is only the yardstick). Raw citations were not
    recorded before, so that column is left out."""
    from app.answer import CITATION

    old = Report.model_validate_json(path.read_text())
    gold = {g.id: g for g in load_gold()}
    cat = catalogue_of(corpus_dir)
    results = []
    for r in old.items:
        item = gold.get(r.id)
        if item is None or r.answer is None:
            continue
        numbers = [int(n) for m in CITATION.finditer(r.answer) for n in m.group(1).split(",")]
        cited = [r.retrieved[n - 1] for n in dict.fromkeys(numbers) if 0 < n <= len(r.retrieved)]
        fresh = ItemResult(**{**r.model_dump(), "category": item.category,
                              "answerable": item.answerable, "cited": cited,
                              "invalid_citations": 0, "polarity_ok": None, "facts_ok": None,
                              "cited_gold": None, "missing_facts": [],
                              # reports before it was recorded: a guess from the answer
                              "model_called": r.model_called if r.model_called is not None
                              else not r.abstained or r.first_token_ms is not None})
        fresh.wrong_entity = wrong_entity(cat, item.question, cited)
        results.append(score(item, fresh))
    return build_report(results, "full", old.key + "-rescored", old.k, old.backend, old.model)


def catalogue_of(corpus_dir: Path):
    from app.entities import catalogue

    return catalogue(corpus_dir)


VERDICTS = [("conditional", r"(only if|only under|not without|not unless|it depends|depends on|"
                            r"yes,? but only|yes,? if|yes,? as long as|yes,? provided|"
                            r"yes,? unless|yes,? with (a )?conditions?|partly)\b"),
            ("no", r"no\b|not\b|never\b|none\b"), ("yes", r"yes\b")]


def verdict_of(text: str) -> str | None:
    """The verdict an answer leads with: yes, no or conditional (None when it has none)."""
    head = text.strip().lower()[:60]
    for name, pattern in VERDICTS:
        if re.match(pattern, head):
            return name
    return None


def crag(item: GoldItem, r: ItemResult) -> int:
    """CRAG-style score: right +1, declined 0, wrong or fooled -1. An unanswerable question
    is answered right only by declining; an answer is right when it has every key fact, the
    right verdict and nothing forbidden."""
    if not item.answerable:
        return 1 if r.abstained else -1
    if r.abstained:
        return 0
    right = r.facts_ok and not r.forbidden_hits and r.polarity_ok is not False
    return 1 if right else -1


def wrong_entity(cat, question: str, cited: list[str]) -> int:
    """Cited passages about a specific model or licence other than the ones the question
    names (or their licences): a Llama 4 clause cited for a Llama 3.1 question."""
    linked = [e for e in cat.link(question)
              if e.type in ("model", "licence", "family", "developer")]
    if not linked:
        return 0
    mine = cat.related(linked)  # with their licences, the use policies those incorporate
    # and the service terms of API-only models; for a licence, the rows under it
    return sum(1 for sid in cited if sid not in mine and cat.owner(sid))


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


def mean(values: list) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def metrics(results: list[ItemResult]) -> dict:
    answerable = [r for r in results if r.answerable]
    out: dict = {"questions": len(results),
                 "recall_at_k": mean([r.gold_rank is not None for r in answerable]),
                 "mrr": mean([1 / r.gold_rank if r.gold_rank else 0 for r in answerable]),
                 "retrieval_ms_p50": pct([r.retrieval_ms for r in results], 50),
                 "retrieval_ms_p95": pct([r.retrieval_ms for r in results], 95)}
    answered = [r for r in results if r.answer is not None]
    if not answered:
        return out
    abstained = [r for r in answered if r.abstained]
    unanswerable = [r for r in answered if not r.answerable]
    polar = [r for r in answered if r.polarity_ok is not None]
    premise = [r for r in answered if r.category == "false_premise"]
    out.update({
        "crag_score": mean([r.crag for r in answered if r.crag is not None]),
        "key_fact_accuracy": mean([bool(r.facts_ok) for r in answered if r.answerable]),
        "polarity_accuracy": mean([bool(r.polarity_ok) for r in polar]),
        "premise_corrected": mean([r.crag == 1 for r in premise]),
        "wrong_entity_citations": sum(r.wrong_entity for r in answered),
        "model_calls": sum(bool(r.model_called) for r in answered),
        "forbidden_violations": sum(bool(r.forbidden_hits) for r in answered),
        "invalid_citations": sum(r.invalid_citations for r in answered),
        "cited_gold": mean([bool(r.cited_gold) for r in answered if r.answerable]),
        "abstention_precision": mean([not r.answerable for r in abstained]),
        "abstention_recall": mean([bool(r.abstained) for r in unanswerable]),
        "judge_accuracy": mean([r.judged_ok for r in answered if r.judged_ok is not None]),
        "first_token_ms_p50": pct([r.first_token_ms for r in answered if r.first_token_ms], 50),
        "first_token_ms_p95": pct([r.first_token_ms for r in answered if r.first_token_ms], 95),
        "total_ms_p50": pct([r.total_ms for r in answered if r.total_ms], 50),
        "total_ms_p95": pct([r.total_ms for r in answered if r.total_ms], 95),
        "fact_answer_ms_p95": pct([r.total_ms for r in answered if r.total_ms and
                                   not r.model_called and not r.abstained], 95),
    })
    return out


class Report(BaseModel):
    mode: Literal["retrieval", "full"]
    key: str  # which baseline entry this run compares with
    backend: str = ""
    model: str = ""
    k: int
    created: str
    overall: dict
    by_category: dict[str, dict]
    items: list[ItemResult]


def evaluate(settings: Settings, retrieval_only: bool = False, subset: int | None = None,
             progress: Callable[[int, int], None] | None = None, judge=None,
             ids: str = "") -> Report:
    """Run the gold set; `judge` (a chat model, --judge) also grades each answer. The judge's
    score is reported only: it is never part of the baseline check. `ids`: only the questions
    whose id starts with this prefix (a batch of new questions)."""
    from app.answer import Answerer
    from app.retrieve import Retriever

    items = stratified([g for g in load_gold() if g.id.startswith(ids)], subset)
    retriever = Retriever(settings)
    answerer = None if retrieval_only else Answerer(settings, retriever=retriever)
    results = []
    for done, item in enumerate(items, 1):
        results.append(run_item(item, retriever, answerer, settings.k, judge))
        if progress:
            progress(done, len(items))
    mode = "retrieval" if retrieval_only else "full"
    key = f"{mode}-{'all' if not subset else f'subset{subset}'}" + (f"-{ids}" if ids else "")
    backend = answerer.backend if answerer is not None else None
    if backend is not None:
        key += f"-{backend.name}"
    return build_report(results, mode, key, settings.k, backend.name if backend else "",
                        backend.model if backend else "")


def build_report(results: list[ItemResult], mode: str, key: str, k: int, backend: str = "",
                 model: str = "") -> Report:
    by_cat: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        by_cat[r.category].append(r)
    return Report(mode=mode, key=key, k=k, backend=backend, model=model,
                  created=datetime.now(UTC).isoformat(timespec="seconds"),
                  overall=metrics(results),
                  by_category={c: metrics(rs) for c, rs in sorted(by_cat.items())},
                  items=results)


COLUMNS = [("questions", "n"), ("recall_at_k", "recall@k"), ("mrr", "MRR"),
           ("crag_score", "CRAG"), ("key_fact_accuracy", "key facts"),
           ("polarity_accuracy", "polarity"), ("premise_corrected", "premise fixed"),
           ("cited_gold", "cites gold"), ("forbidden_violations", "forbidden"),
           ("invalid_citations", "bad cites (raw)"), ("wrong_entity_citations", "wrong entity"),
           ("abstention_precision", "abst. P"), ("abstention_recall", "abst. R"),
           ("judge_accuracy", "judge"),
           ("model_calls", "model calls"), ("retrieval_ms_p95", "retr p95 ms"),
           ("first_token_ms_p50", "TTFT p50 ms"), ("total_ms_p50", "total p50 ms"),
           ("total_ms_p95", "total p95 ms"), ("fact_answer_ms_p95", "fact p95 ms")]


def markdown(report: Report) -> str:
    cols = [(k, label) for k, label in COLUMNS if k in report.overall and
            (k != "judge_accuracy" or report.overall[k] is not None)]
    head = f"| category | {' | '.join(label for _, label in cols)} |"
    lines = [f"Eval `{report.key}` (k={report.k}{', ' + report.model if report.model else ''},"
             f" {report.created})", "", head, "|" + " --- |" * (len(cols) + 1)]
    rows = [*report.by_category.items(), ("**overall**", report.overall)]
    for name, m in rows:
        cells = ["–" if m.get(k) is None else f"{m[k]:g}" if isinstance(m[k], float) else
                 str(m[k]) for k, _ in cols]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def save(report: Report, out: Path | None = None) -> Path:
    folder = out or REPORTS
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"{report.key}"
    stem.with_suffix(".json").write_text(report.model_dump_json(indent=1))
    stem.with_suffix(".md").write_text(markdown(report))
    return stem.with_suffix(".md")


def check(report: Report, baseline_path: Path = BASELINE) -> list[str]:
    """Regressions against the committed baseline: one line per metric that fell too far."""
    if not baseline_path.exists():
        return [f"no baseline at {baseline_path}: run with --update-baseline"]
    baseline = json.loads(baseline_path.read_text()).get(report.key)
    if baseline is None:
        return [f"no baseline entry {report.key!r}: run with --update-baseline"]
    problems = []
    for name, tolerance in TOLERANCE.items():
        now, then = report.overall.get(name), baseline.get(name)
        if now is not None and then is not None and now < then - tolerance:
            problems.append(f"{name} fell from {then:g} to {now:g} (by {then - now:.3f}; "
                            f"tolerance {tolerance:g})")
    for name, slack in CEILING.items():
        now, then = report.overall.get(name), baseline.get(name)
        if now is not None and then is not None and now > then + slack:
            problems.append(f"{name} rose from {then} to {now}")
    return problems


def update_baseline(report: Report, baseline_path: Path = BASELINE) -> None:
    data = json.loads(baseline_path.read_text()) if baseline_path.exists() else {}
    data[report.key] = {k: v for k, v in report.overall.items()
                        if "_ms_" not in k and k != "judge_accuracy"}
    baseline_path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
