"""`faultline bench`: Faultline against the raw libraries doing the same work, in one run, as
ratios (absolute times drift on shared machines). Prints a table and saves JSON."""

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
from pathlib import Path

from app.settings import ROOT, Settings

REPORT = ROOT / "eval" / "reports" / "bench.json"
QUESTIONS = ["Can I use Llama 3.1 commercially?", "What is an open-weight model?",
             "Apache patent licence termination", "EU AI Act open source exemption",
             "training data for OLMo", "Gemma prohibited use policy"] * 5


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def pcts(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=100, method="inclusive")
    return round(q[49], 2), round(q[94], 2)


class Bench:
    def __init__(self, settings: Settings, work: Path, quick: bool = False,
                 sizes: list[int] | None = None):
        self.settings, self.work, self.quick = settings, work, quick
        self.sizes = sizes or ([1000, 10000] if quick else [1000, 10000, 100000])
        self.rows: list[dict] = []

    def add(self, name: str, ours: float, raw: float, unit: str, target: str,
            ok: bool | None, note: str = "") -> None:
        ratio = ours / raw if raw else float("nan")
        self.rows.append({"measure": name, "faultline": round(ours, 3), "raw": round(raw, 3),
                          "unit": unit, "ratio": round(ratio, 3), "target": target,
                          "met": ok, "note": note})

    # 1 + 2 ----------------------------------------------------------------- ingest
    def ingest(self) -> None:
        from app.embed import Embedder
        from app.index import Index
        from app.ingest import ingest

        settings = self.settings.model_copy(update={"index_dir": self.work / "index"})
        embedder = Embedder(settings)
        embedder.embed(["warm up"])  # both sides start with the model loaded
        report = ingest(settings, rebuild=True, embedder=embedder)
        full = self.full_ingest_s = report.seconds
        index = Index(settings)
        manifest = index.require_manifest()
        texts = index.collection(manifest.collection, embedder.function).get(
            include=["documents"])["documents"]
        raw, _ = timed(embedder.model.encode, texts, batch_size=64, normalize_embeddings=True)
        ours_rate, raw_rate = report.chunks / full, len(texts) / raw
        self.add("ingest throughput (corpus)", ours_rate, raw_rate, "chunks/s", ">= 0.9x",
                 ours_rate / raw_rate >= 0.9, f"{report.chunks} chunks")
        again = ingest(settings, embedder=embedder)
        self.add("re-ingest unchanged / full", again.seconds, full, "s", "<= 0.05x",
                 again.seconds <= full / 20)
        self.settings_built = settings
        self.embedder = embedder

    # 3 + 7 ---------------------------------------------------------------- answering
    def answering(self) -> None:
        from app.answer import Answerer
        from app.retrieve import Retriever

        settings = self.settings_built.model_copy(update={"backend": "embedded"})
        answerer = Answerer(settings, retriever=Retriever(settings, self.embedder))
        chat = answerer.backend.chat
        # questions the model writes (fact questions never reach it: measured below)
        questions = ["What is an open-weight model?",
                     "Why do some people argue that closed models are safer?",
                     "How does the EU AI Act treat open-source models?"][: 1 if self.quick else 3]
        ours, bare = [], []
        for question in questions:
            answerer.ask(question)  # warm the prompt cache for this question on both sides
            t_ours, answer = timed(answerer.ask, question)
            messages = answerer.messages(question, answer.passages)
            t_bare, _ = timed(chat.invoke, messages)
            ours.append(t_ours)
            bare.append(t_bare)
        o, b = sum(ours), sum(bare)
        self.add("answer overhead (embedded)", o, b, "s", "<= 1.05x", o <= b * 1.05,
                 f"{len(questions)} questions, prompt cache warm on both sides")
        self.generation(answerer, questions[0])
        self.fact_answers(answerer)

    def fact_answers(self, answerer) -> None:
        """Answers from the tables: end to end against the hybrid retrieval they include."""
        facts = ["Can I use Llama 3.1 in a product with 900 million users?",
                 "Does the Apache 2.0 license give me any patent rights?",
                 "Is Gemma open source?", "Is Llama 2 released under the Apache 2.0 license?",
                 "Can I download the weights of GPT-4o?"]
        ours, raw = [], []
        for question in facts * (1 if self.quick else 5):
            t, answer = timed(answerer.ask, question)
            if answer.backend != "facts":  # a corpus without that table row or licence
                continue
            ours.append(t)
            raw.append(timed(answerer.retriever.search, question)[0])
        p95 = sorted(ours)[int(0.95 * (len(ours) - 1))]
        r95 = sorted(raw)[int(0.95 * (len(raw) - 1))]
        self.add("fact answer p95, end to end (vs hybrid retrieval alone)", p95, r95, "s",
                 "<= 1 s", p95 <= 1.0, f"{len(ours)} answers, no model call")

    def generation(self, answerer, question: str) -> None:
        from app.llm import llama_server

        passages = answerer.retriever.search(question, k=8)
        messages = [{"role": "system" if r == "system" else "user", "content": c}
                    for r, c in answerer.messages(question, passages)]
        server = llama_server(answerer.settings)
        body = {"messages": messages, "max_tokens": 64, "temperature": 0,
                "cache_prompt": False}
        direct = server.handle_chat_completions(body)
        direct_tps = direct["timings"]["predicted_per_second"]
        prompt_tokens = direct["usage"]["prompt_tokens"]
        chat = answerer.backend.chat.bind(max_tokens=64,
                                          extra_body={"cache_prompt": False})
        start = time.perf_counter()
        first, count = None, 0
        for chunk in chat.stream([(r, c) for r, c in answerer.messages(question, passages)]):
            if chunk.content:
                first = first or time.perf_counter()
                count += 1
        end = time.perf_counter()
        ours_tps = (count - 1) / (end - first) if count > 1 else 0.0
        self.add("generation tokens/s (via Faultline / direct)", ours_tps, direct_tps, "tok/s",
                 ">= 0.95x", ours_tps >= 0.95 * direct_tps,
                 f"time to first token {first - start:.1f} s for a {prompt_tokens}-token prompt")

    # 4 --------------------------------------------------------------- retrieval scale
    def retrieval_scale(self) -> None:
        from app.index import Index, Manifest, now
        from app.ingest import collection_name, fingerprint
        from app.retrieve import Retriever

        sizes = self.sizes
        targets = {10000: 50.0, 100000: 150.0}
        words = " ".join(Path(p).read_text() for p in
                         sorted((ROOT / "corpus" / "articles").glob("*.md"))).split()
        rng = random.Random(7)
        questions = QUESTIONS
        for size in sizes:
            settings = self.settings.model_copy(update={"index_dir": self.work / f"s{size}",
                                                        "data_dir": self.work / f"d{size}"})
            fp = fingerprint(settings, self.embedder)
            index = Index(settings)
            manifest = Manifest(fingerprint=fp, collection=collection_name(fp, 1),
                                generation=1, built_at=now(), updated_at=now())
            col = index.collection(manifest.collection, self.embedder.function, create=True)
            ids, texts, kinds = [], [], []
            vectors = self._vectors(size, rng)
            for n in range(size):
                ids.append(f"c{n}")
                start = rng.randrange(0, len(words) - 60)
                texts.append(" ".join(words[start:start + 60]))
                kinds.append("article")
            for off in range(0, size, 5000):
                col.add(ids=ids[off:off + 5000], documents=texts[off:off + 5000],
                        embeddings=vectors[off:off + 5000],
                        metadatas=[{"source_id": f"s{n // 10}", "title": "Synthetic",
                                    "kind": "article", "section": ""}
                                   for n in range(off, min(off + 5000, size))])
            index.save_bm25(manifest.collection, ids, kinds, texts)
            index.write_manifest(manifest)
            retriever = Retriever(settings, self.embedder)
            retriever.search("warm up")
            hybrid, vector_only = [], []
            for q in questions:
                retriever.search(q)
                hybrid.append(retriever.last_ms)
                qv = self.embedder.embed([q])[0]
                t, _ = timed(col.query, query_embeddings=[qv], n_results=5)
                vector_only.append(t * 1000)
            p50, p95 = pcts(hybrid)
            _, raw95 = pcts(vector_only)
            target = targets.get(size)
            self.add(f"retrieval p95 at {size:,} chunks (hybrid / chroma query alone)", p95,
                     raw95, "ms", f"<= {target:g} ms" if target else "report",
                     p95 <= target if target else None, f"p50 {p50} ms")

    def _vectors(self, size: int, rng: random.Random) -> list[list[float]]:
        """Synthetic unit vectors, cached on disk so reruns skip making them."""
        import numpy as np

        cache = Path(tempfile.gettempdir()) / f"faultline-bench-vectors-{size}.npy"
        if cache.exists():
            return np.load(cache).tolist()
        gen = np.random.default_rng(size)
        v = gen.standard_normal((size, self.embedder.dimension)).astype("float32")
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        np.save(cache, v)
        return v.tolist()

    # 5 + 6 ------------------------------------------------------------- start-up, memory
    def startup(self) -> None:
        exe = [sys.executable, "-m", "app.cli"]
        runs = [timed(subprocess.run, [*exe, "--help"], capture_output=True)[0]
                for _ in range(3)]
        bare = [timed(subprocess.run, [sys.executable, "-c", "pass"])[0] for _ in range(3)]
        best = min(runs)
        self.add("`faultline --help` wall time (vs bare python)", best, min(bare), "s",
                 "< 1 s", best < 1.0)
        if self.quick:
            return
        self.serve_first_answer()

    def serve_first_answer(self) -> None:
        from app.llm import gguf_path

        settings = self.settings_built
        question = "What is an open-weight model?"
        env = {**os.environ, "FAULTLINE_INDEX_DIR": str(settings.index_dir),
               "FAULTLINE_BACKEND": "embedded", "FAULTLINE_DATA_DIR": str(self.work / "serve"),
               "FAULTLINE_MODELS_DIR": str(settings.model_dir)}
        port = _free_port()
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port",
                                 str(port)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            client = _wait_client(f"http://127.0.0.1:{port}/", proc)
            client.predict(question, [], 5, True, "embedded", api_name="/chat")
            to_first = time.perf_counter() - start
            for q in ["What is an open-weight model?", "Is Gemma open source?",
                      "What does the MIT licence require?"] * 3:
                client.predict(q, [], 5, True, "embedded", api_name="/chat")
            peak = _peak_rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        # raw: load the model and answer the identical prompt, nothing else
        script = (
            "import time,sys;t=time.perf_counter();import xllamacpp as x;"
            "from langchain_openai import ChatOpenAI;p=x.CommonParams();"
            f"p.model.path={str(gguf_path(settings))!r};p.n_ctx={settings.context_size};"
            "p.n_parallel=1;p.port=0;p.verbosity=0;s=x.Server(p);"
            "c=ChatOpenAI(base_url=s.listening_address+'/v1',api_key='n',max_tokens="
            f"{settings.max_tokens},temperature=0);"
            f"c.invoke({json.dumps(self._prompt(question))});"
            "print(time.perf_counter()-t)")
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        raw = float(out.stdout.strip().splitlines()[-1])
        self.add("serve start -> first answer (vs model load + one answer)", to_first, raw,
                 "s", "<= 1.3x", to_first <= raw * 1.3)
        self.rows.append({"measure": "peak RSS of serve after 10 questions", "faultline": peak,
                          "raw": None, "unit": "MB", "ratio": None, "target": "report",
                          "met": None, "note": "embedded model, embedder, Chroma, Gradio"})

    def _prompt(self, question: str) -> list[list[str]]:
        from app.answer import Answerer
        from app.retrieve import Retriever

        answerer = Answerer(self.settings_built, retriever=Retriever(self.settings_built,
                                                                     self.embedder))
        passages = answerer.retriever.search(question)
        return [list(m) for m in answerer.messages(question, passages)]

    # 8 ------------------------------------------------------- embedded vs Chroma server
    def server_mode(self) -> None:
        """The same corpus ingested into, and queried from, a Chroma server on loopback."""
        from app.ingest import ingest
        from app.retrieve import Retriever

        server = ChromaServer(self.work / "chroma-server", _free_port()).start()
        try:
            remote = self.settings_built.model_copy(update={
                "chroma_url": server.url, "index_dir": self.work / "remote-index"})
            report = ingest(remote, rebuild=True, embedder=self.embedder)
            self.add("ingest, Chroma server (vs embedded store)", report.seconds,
                     self.full_ingest_s, "s", "report", None, f"{report.chunks} chunks")
            times = {}
            for name, settings in (("server", remote), ("embedded", self.settings_built)):
                retriever = Retriever(settings, self.embedder)
                retriever.search("warm up")
                times[name] = []
                for q in QUESTIONS:
                    retriever.search(q)
                    times[name].append(retriever.last_ms)
            (s50, s95), (e50, e95) = pcts(times["server"]), pcts(times["embedded"])
            self.add("retrieval p95, Chroma server (vs embedded store)", s95, e95, "ms",
                     "report", None, f"p50 {s50} vs {e50} ms; hybrid k=5, corpus index")
        finally:
            server.stop()

    def run(self, server_only: bool = False) -> list[dict]:
        self.ingest()
        if server_only:
            self.server_mode()
            return self.rows
        self.answering()
        self.retrieval_scale()
        self.server_mode()
        self.startup()
        return self.rows


class ChromaServer:
    """A real Chroma server (`chroma run` from the installed chromadb) on a loopback port,
    storing into `path`; stop() then start() restarts it on the same data and port."""

    def __init__(self, path: Path, port: int):
        self.path, self.port, self.proc = path, port, None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> ChromaServer:
        import urllib.request

        chroma = Path(sys.executable).with_name("chroma")
        self.path.mkdir(parents=True, exist_ok=True)
        with (self.path.parent / f"chroma-{self.port}.log").open("a") as log:
            self.proc = subprocess.Popen(
                [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1",
                 "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2)
                return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start; see {log.name}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_client(url: str, proc):
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


def _peak_rss_mb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines()
                    if line.startswith("VmHWM:"))) // 1024


def table(rows: list[dict]) -> str:
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
        out: Path = REPORT) -> list[dict]:
    work = Path(tempfile.mkdtemp(prefix="faultline-bench-"))
    try:
        rows = Bench(settings, work, quick=quick).run(server_only=server_only)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"quick": quick, "server_only": server_only, "rows": rows},
                              indent=1))
    return rows
