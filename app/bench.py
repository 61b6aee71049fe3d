"""`faultline bench`: Faultline against the raw libraries doing the same work, in one run, as
ratios (absolute times drift on shared machines). Prints a table and saves JSON.

Every measure is a function of one explicit `Context` (the corpus built once by `prepare`) and
returns its table rows; none depends on what another measure left behind."""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from app.settings import ROOT, Settings

REPORT = ROOT / "eval" / "reports" / "bench.json"
QUESTIONS = ["Can I use Llama 3.1 commercially?", "What is an open-weight model?",
             "Apache patent licence termination", "EU AI Act open source exemption",
             "training data for OLMo", "Gemma prohibited use policy"] * 5
Row = dict[str, Any]


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def pcts(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=100, method="inclusive")
    return round(q[49], 2), round(q[94], 2)


def row(name: str, ours: float, raw: float | None, unit: str, target: str, ok: bool | None,
        note: str = "") -> Row:
    ratio = None if raw is None else (ours / raw if raw else float("nan"))
    return {"measure": name, "faultline": round(ours, 3),
            "raw": None if raw is None else round(raw, 3), "unit": unit,
            "ratio": None if ratio is None else round(ratio, 3), "target": target, "met": ok,
            "note": note}


@dataclass
class Context:
    """What every measure reads: the corpus ingested once into an embedded store."""

    settings: Settings  # the built index (embedded store, embedded backend)
    work: Path  # scratch space, removed after the run
    embedder: Any
    full_ingest_s: float
    chunks: int
    quick: bool = False
    sizes: list[int] = field(default_factory=lambda: [1000, 10000, 100000])
    server_url: str | None = None  # a running Chroma server to compare with, if any

    @cached_property
    def answerer(self):
        from app.answer import Answerer
        from app.retrieve import Retriever

        return Answerer(self.settings, retriever=Retriever(self.settings, self.embedder))


def prepare(settings: Settings, work: Path, quick: bool = False,
            sizes: list[int] | None = None) -> Context:
    """Ingest the corpus from scratch into `work`, the embedder already loaded."""
    from app.embed import Embedder
    from app.ingest import ingest

    built = settings.model_copy(update={"index_dir": work / "index", "chroma_url": None,
                                        "data_dir": work / "data", "backend": "embedded"})
    embedder = Embedder(built)
    embedder.embed(["warm up"])  # both sides start with the model loaded
    report = ingest(built, rebuild=True, embedder=embedder)
    return Context(built, work, embedder, report.seconds, report.chunks, quick,
                   sizes or ([1000, 10000] if quick else [1000, 10000, 100000]),
                   settings.chroma_url)


# ------------------------------------------------------------------------ ingest
def ingest_throughput(ctx: Context) -> list[Row]:
    from app.store import open_store, read_all

    store = open_store(ctx.settings)
    texts = read_all(store.open(store.require_live().collection), ["documents"])["documents"]
    raw, _ = timed(ctx.embedder.model.encode, texts, batch_size=64, normalize_embeddings=True)
    ours_rate, raw_rate = ctx.chunks / ctx.full_ingest_s, len(texts) / raw
    return [row("ingest throughput (corpus)", ours_rate, raw_rate, "chunks/s", ">= 0.9x",
                ours_rate / raw_rate >= 0.9, f"{ctx.chunks} chunks")]


def reingest_unchanged(ctx: Context) -> list[Row]:
    from app.ingest import ingest

    again = ingest(ctx.settings, embedder=ctx.embedder)
    return [row("re-ingest unchanged / full", again.seconds, ctx.full_ingest_s, "s",
                "<= 0.05x", again.seconds <= ctx.full_ingest_s / 20)]


# --------------------------------------------------------------------- answering
def model_questions(ctx: Context) -> list[str]:
    """Questions the model writes (fact questions never reach it: measured apart)."""
    return ["Tell me about open-weight models.",
            "Why do some people argue that closed models are safer?",
            "How does the EU AI Act treat open-source models?"][: 1 if ctx.quick else 3]


def answer_overhead(ctx: Context) -> list[Row]:
    answerer = ctx.answerer
    chat = answerer.backend.chat
    ours, bare = [], []
    for question in model_questions(ctx):
        answerer.ask(question)  # warm the prompt cache for this question on both sides
        t_ours, answer = timed(answerer.ask, question)
        t_bare, _ = timed(chat.invoke, answerer.messages(question, answer.passages))
        ours.append(t_ours)
        bare.append(t_bare)
    o, b = sum(ours), sum(bare)
    return [row("answer overhead (embedded)", o, b, "s", "<= 1.05x", o <= b * 1.05,
                f"{len(ours)} questions, prompt cache warm on both sides")]


def fact_answers(ctx: Context) -> list[Row]:
    """Answers from the tables: end to end against the hybrid retrieval they include."""
    facts = ["Can I use Llama 3.1 in a product with 900 million users?",
             "Does the Apache 2.0 license give me any patent rights?",
             "Is Gemma open source?", "Is Llama 2 released under the Apache 2.0 license?",
             "Can I download the weights of GPT-4o?"]
    answerer = ctx.answerer
    ours, raw = [], []
    for question in facts * (1 if ctx.quick else 5):
        t, answer = timed(answerer.ask, question)
        if answer.backend != "facts":  # a corpus without that table row or licence
            continue
        ours.append(t)
        raw.append(timed(answerer.retriever.search, question)[0])
    p95 = sorted(ours)[int(0.95 * (len(ours) - 1))]
    r95 = sorted(raw)[int(0.95 * (len(raw) - 1))]
    return [row("fact answer p95, end to end (vs hybrid retrieval alone)", p95, r95, "s",
                "<= 1 s", p95 <= 1.0, f"{len(ours)} answers, no model call")]


def generation(ctx: Context) -> list[Row]:
    """Tokens per second streamed through Faultline against llama.cpp's own timing."""
    from app.llm import llama_server

    answerer, question = ctx.answerer, model_questions(ctx)[0]
    # the prompt is evaluated twice, uncached; a quick run measures the same rate on less
    passages = answerer.retriever.search(question, k=2 if ctx.quick else 8)
    pairs = answerer.messages(question, passages)
    messages = [{"role": "system" if r == "system" else "user", "content": c}
                for r, c in pairs]
    body = {"messages": messages, "max_tokens": 64, "temperature": 0, "cache_prompt": False}
    direct = llama_server(answerer.settings).handle_chat_completions(body)
    direct_tps = direct["timings"]["predicted_per_second"]
    prompt_tokens = direct["usage"]["prompt_tokens"]
    chat = answerer.backend.chat.bind(max_tokens=64, extra_body={"cache_prompt": False})
    start = time.perf_counter()
    first, count = None, 0
    for chunk in chat.stream(pairs):
        if chunk.content:
            first = first or time.perf_counter()
            count += 1
    end = time.perf_counter()
    ours_tps = (count - 1) / (end - first) if count > 1 and first else 0.0
    ttft = (first or end) - start
    return [row("generation tokens/s (via Faultline / direct)", ours_tps, direct_tps, "tok/s",
                ">= 0.95x", ours_tps >= 0.95 * direct_tps,
                f"time to first token {ttft:.1f} s for a {prompt_tokens}-token prompt")]


# --------------------------------------------------------------- retrieval scale
def synthetic_store(ctx: Context, size: int):
    """An embedded store of `size` synthetic chunks (random unit vectors, corpus words),
    committed like an ingest would: (its settings, its collection)."""
    from app.ingest import collection_name, fingerprint
    from app.records import ChunkMeta
    from app.store import IndexState, LocalStore, now

    settings = ctx.settings.model_copy(update={"index_dir": ctx.work / f"s{size}",
                                               "data_dir": ctx.work / f"d{size}"})
    fp = fingerprint(settings, ctx.embedder)
    store = LocalStore(settings)
    state = IndexState(collection=collection_name(fp, 1), fingerprint=fp, generation=1,
                       built_at=now(), sources=size // 10, chunks=size)
    col = store.create(state)
    words = " ".join(Path(p).read_text() for p in
                     sorted((ROOT / "corpus" / "articles").glob("*.md"))).split()
    rng = random.Random(7)
    vectors = synthetic_vectors(size, ctx.embedder.dimension)
    for off in range(0, size, 5000):
        ids = [f"c{n}" for n in range(off, min(off + 5000, size))]
        texts = []
        for _ in ids:
            start = rng.randrange(0, len(words) - 60)
            texts.append(" ".join(words[start:start + 60]))
        metas = [ChunkMeta(source_id=f"s{int(cid[1:]) // 10}", title="Synthetic",
                           kind="article", content_hash="synthetic", chunk=int(cid[1:]) % 10,
                           source_chunks=10, chunk_id=cid).to_chroma() for cid in ids]
        col.add(ids=ids, documents=texts, embeddings=vectors[off:off + 5000], metadatas=metas)
    store.save_keywords(col, state.collection)
    store.commit(state)
    return settings, col


def synthetic_vectors(size: int, dimension: int) -> list[list[float]]:
    """Random unit vectors, cached on disk so reruns skip making them."""
    import numpy as np

    cache = Path(tempfile.gettempdir()) / f"faultline-bench-vectors-{size}-{dimension}.npy"
    if cache.exists():
        return np.load(cache).tolist()
    v = np.random.default_rng(size).standard_normal((size, dimension)).astype("float32")
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    np.save(cache, v)
    return v.tolist()


def retrieval_scale(ctx: Context) -> list[Row]:
    from app.retrieve import Retriever

    targets = {10000: 50.0, 100000: 150.0}
    rows = []
    for size in ctx.sizes:
        settings, col = synthetic_store(ctx, size)
        retriever = Retriever(settings, ctx.embedder)
        retriever.search("warm up")
        hybrid, vector_only = [], []
        for q in QUESTIONS:
            retriever.search(q)
            hybrid.append(retriever.last_ms)
            qv = ctx.embedder.embed([q])[0]
            t, _ = timed(col.query, query_embeddings=[qv], n_results=5)
            vector_only.append(t * 1000)
        p50, p95 = pcts(hybrid)
        _, raw95 = pcts(vector_only)
        target = targets.get(size)
        rows.append(row(f"retrieval p95 at {size:,} chunks (hybrid / chroma query alone)",
                        p95, raw95, "ms", f"<= {target:g} ms" if target else "report",
                        p95 <= target if target else None, f"p50 {p50} ms"))
    return rows


# ------------------------------------------------------------- start-up, memory
def help_time(ctx: Context) -> list[Row]:
    exe = [sys.executable, "-m", "app.cli"]
    runs = [timed(subprocess.run, [*exe, "--help"], capture_output=True)[0] for _ in range(3)]
    bare = [timed(subprocess.run, [sys.executable, "-c", "pass"])[0] for _ in range(3)]
    best = min(runs)
    return [row("`faultline --help` wall time (vs bare python)", best, min(bare), "s",
                "< 1 s", best < 1.0)]


def serve_first_answer(ctx: Context) -> list[Row]:
    """`faultline serve` from start to its first answer, against loading the model and
    answering the identical prompt in a bare process (`python -m app.bench raw-answer`)."""
    from app.llm import gguf_path

    settings, question = ctx.settings, model_questions(ctx)[0]
    env = {**os.environ, "FAULTLINE_INDEX_DIR": str(settings.index_dir),
           "FAULTLINE_BACKEND": "embedded", "FAULTLINE_DATA_DIR": str(ctx.work / "serve"),
           "FAULTLINE_MODELS_DIR": str(settings.model_dir)}
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = wait_client(f"http://127.0.0.1:{port}/", proc)
        client.predict(question, [], 5, True, "embedded", api_name="/chat")
        to_first = time.perf_counter() - start
        for q in [question, "Is Gemma open source?",
                  "What does the MIT licence require?"] * 3:
            client.predict(q, [], 5, True, "embedded", api_name="/chat")
        peak = peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    prompt = ctx.work / "prompt.json"
    passages = ctx.answerer.retriever.search(question)
    prompt.write_text(json.dumps([list(m) for m in ctx.answerer.messages(question, passages)]))
    out = subprocess.run([sys.executable, "-m", "app.bench", "raw-answer", str(gguf_path(
        settings)), str(settings.context_size), str(settings.max_tokens), str(prompt)],
        capture_output=True, text=True)
    raw = float(out.stdout.strip().splitlines()[-1])
    return [row("serve start -> first answer (vs model load + one answer)", to_first, raw, "s",
                "<= 1.3x", to_first <= raw * 1.3),
            row("peak RSS of serve after 10 questions", peak, None, "MB", "report", None,
                "embedded model, embedder, Chroma, Gradio")]


def raw_answer(model: str, n_ctx: int, max_tokens: int, prompt: Path) -> float:
    """The raw side of serve_first_answer: load the GGUF and answer one prompt, nothing else."""
    start = time.perf_counter()
    import xllamacpp
    from langchain_openai import ChatOpenAI

    params = xllamacpp.CommonParams()
    params.model.path, params.n_ctx, params.n_parallel = model, n_ctx, 1
    params.port, params.verbosity = 0, 0
    server = xllamacpp.Server(params)
    chat = ChatOpenAI(base_url=server.listening_address + "/v1", api_key="n",
                      max_tokens=max_tokens, temperature=0)
    chat.invoke([tuple(m) for m in json.loads(prompt.read_text())])
    return time.perf_counter() - start


# ---------------------------------------------------------- embedded vs Chroma server
def server_mode(ctx: Context) -> list[Row]:
    """The same corpus ingested into, and queried from, the Chroma server at
    FAULTLINE_CHROMA_URL (start one with `chroma run`); skipped when none is set."""
    from app.ingest import ingest
    from app.retrieve import Retriever

    if not ctx.server_url:
        return [row("Chroma server rows", 0, None, "", "report", None,
                    "skipped: set FAULTLINE_CHROMA_URL to a running `chroma run`")]
    remote = ctx.settings.model_copy(update={"chroma_url": ctx.server_url,
                                             "index_dir": ctx.work / "remote-index"})
    report = ingest(remote, rebuild=True, embedder=ctx.embedder)
    rows = [row("ingest, Chroma server (vs embedded store)", report.seconds,
                ctx.full_ingest_s, "s", "report", None, f"{report.chunks} chunks")]
    times = {}
    for name, settings in (("server", remote), ("embedded", ctx.settings)):
        retriever = Retriever(settings, ctx.embedder)
        retriever.search("warm up")
        times[name] = []
        for q in QUESTIONS:
            retriever.search(q)
            times[name].append(retriever.last_ms)
    (s50, s95), (e50, e95) = pcts(times["server"]), pcts(times["embedded"])
    rows.append(row("retrieval p95, Chroma server (vs embedded store)", s95, e95, "ms",
                    "report", None, f"p50 {s50} vs {e50} ms; hybrid k=5, corpus index"))
    return rows


MEASURES: list[Callable[[Context], list[Row]]] = [
    ingest_throughput, reingest_unchanged, answer_overhead, generation, fact_answers,
    retrieval_scale, server_mode, help_time, serve_first_answer]
QUICK_SKIPS = {serve_first_answer}
SERVER_ONLY = [ingest_throughput, server_mode]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_client(url: str, proc):
    import urllib.request

    from gradio_client import Client

    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=2)
            return Client(url, verbose=False)
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("serve exited during start-up") from None
            time.sleep(0.2)
    raise RuntimeError("serve did not start")


def peak_rss_mb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines()
                    if line.startswith("VmHWM:"))) // 1024


def table(rows: list[Row]) -> str:
    head = "| measure | Faultline | raw | unit | ratio | target | met | note |"
    lines = [head, "|" + " --- |" * 8]
    for r in rows:
        met = {True: "yes", False: "**no**", None: "–"}[r["met"]]
        raw = "–" if r["raw"] is None else r["raw"]
        ratio = "–" if r["ratio"] is None else r["ratio"]
        lines.append(f"| {r['measure']} | {r['faultline']} | {raw} | {r['unit']} | {ratio} | "
                     f"{r['target']} | {met} | {r['note']} |")
    return "\n".join(lines) + "\n"


def run(settings: Settings, quick: bool = False, server_only: bool = False,
        out: Path = REPORT) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="faultline-bench-"))
    try:
        ctx = prepare(settings, work, quick=quick)
        measures = SERVER_ONLY if server_only else [
            m for m in MEASURES if not (quick and m in QUICK_SKIPS)]
        rows = [r for measure in measures for r in measure(ctx)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"quick": quick, "server_only": server_only, "rows": rows},
                              indent=1))
    return rows


if __name__ == "__main__" and sys.argv[1:2] == ["raw-answer"]:
    model_arg, ctx_arg, tokens_arg, prompt_arg = sys.argv[2:6]
    print(raw_answer(model_arg, int(ctx_arg), int(tokens_arg), Path(prompt_arg)))
