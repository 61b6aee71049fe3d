"""A smoke run of `faultline bench` on the small fixture corpus: every measure is produced,
each from the shared context alone (run here in an order unlike the table's)."""

from app import bench


def test_bench_smoke(built, tmp_path, chroma_server):
    # short answers: the smoke run checks that every measure is produced, not their size
    settings = built[0].model_copy(update={"chroma_url": chroma_server.url, "max_tokens": 48})
    ctx = bench.prepare(settings, tmp_path, quick=True, sizes=[300])
    assert ctx.chunks == built[1].chunks and ctx.server_url == chroma_server.url
    measures = [m for m in reversed(bench.MEASURES) if m not in bench.QUICK_SKIPS]
    rows = [r for measure in measures for r in measure(ctx)]
    names = [r["measure"] for r in rows]
    assert len(names) == 9 and all(r["faultline"] > 0 for r in rows), rows
    assert "re-ingest unchanged / full" in names
    assert "| measure |" in bench.table(rows)


def test_server_rows_say_how_to_get_them(built, tmp_path):
    ctx = bench.Context(built[0], tmp_path, embedder=None, full_ingest_s=1.0, chunks=1)
    (only,) = bench.server_mode(ctx)
    assert only["met"] is None and "FAULTLINE_CHROMA_URL" in only["note"]
