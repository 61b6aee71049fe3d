"""A smoke run of `faultline bench` on the small fixture corpus: every measure is produced."""

from app.bench import Bench, table


def test_bench_smoke(built, tmp_path):
    settings, _ = built
    bench = Bench(settings, tmp_path, quick=True, sizes=[300])
    bench.ingest()
    bench.answering()
    bench.retrieval_scale()
    bench.server_mode()
    bench.startup()
    names = [r["measure"] for r in bench.rows]
    assert len(names) == 9 and all(r["faultline"] > 0 for r in bench.rows)
    assert "re-ingest unchanged / full" in names
    assert "| measure |" in table(bench.rows)
