"""`faultline doctor`: one line per thing Faultline needs, with the fix when it is missing."""

from __future__ import annotations

import importlib.metadata as md
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from app.settings import Settings

PACKAGES = ["chromadb", "sentence-transformers", "langchain-core", "langchain-ollama",
            "langchain-openai", "xllamacpp", "bm25s", "gradio"]


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    fatal: bool = True


def run_checks(settings: Settings) -> Iterator[Check]:
    from app.embed import EmbedderMissing, model_path
    from app.llm import BackendUnavailable, bundle_parts, gguf_path, ollama_check
    from app.load import licence_data_dir, read_licence_list

    ok_py = sys.version_info[:2] == (3, 11)
    yield Check("python", ok_py, sys.version.split()[0], "use Python 3.11 (`make setup`)")
    missing = []
    for name in PACKAGES:
        try:
            md.version(name)
        except md.PackageNotFoundError:
            missing.append(name)
    yield Check("packages", not missing, "missing: " + ", ".join(missing) if missing else
                "all installed", "run `make setup`")
    try:
        yield Check("embedder", True, str(model_path(settings.embedder)))
    except EmbedderMissing as exc:
        yield Check("embedder", False, str(exc), "run `make setup`")
    data = licence_data_dir()
    keys = [e.key for e in read_licence_list(settings.corpus_dir)]
    absent = [k for k in keys if data is None or not (data / f"{k}.LICENSE").exists()]
    yield Check("licence data", not absent,
                f"{len(keys) - len(absent)}/{len(keys)} licences of licences.yaml installed" +
                (f"; missing: {', '.join(absent[:5])}" if absent else ""),
                "run `make setup` (scancode-toolkit-mini) or fix corpus/licences.yaml",
                fatal=False)
    yield from index_check(settings)
    try:
        ollama_check(settings)
        yield Check("ollama", True, f"{settings.ollama_model} at {settings.ollama_host}",
                    fatal=settings.backend == "ollama")
    except BackendUnavailable as exc:
        yield Check("ollama", False, str(exc), "", fatal=settings.backend == "ollama")
    try:
        if settings.embedded_model_path is None:
            bundle_parts(settings.bundle)
        path = gguf_path(settings, verify=True)
        yield Check("embedded model", True, f"{settings.bundle.title}, SHA-256 verified: {path}",
                    fatal=settings.backend == "embedded")
    except BackendUnavailable as exc:
        yield Check("embedded model", False, str(exc), settings.bundle.pip_install,
                    fatal=settings.backend != "ollama")


def index_check(settings: Settings) -> Iterator[Check]:
    from app.ingest import CHUNKER_VERSION
    from app.store import IndexError_, ServerUnavailable, open_store

    store = open_store(settings)
    try:
        state = store.live()
    except ServerUnavailable as exc:  # its message says what to do
        yield Check("index", False, str(exc))
        return
    except IndexError_ as exc:
        yield Check("index", False, str(exc), "faultline ingest --rebuild")
        return
    if state is None:
        yield Check("index", False, f"no index at {store.location}",
                    "faultline ingest")
        return
    fp = state.fingerprint
    wanted = {"chunk_tokens": settings.chunk_tokens, "chunk_overlap": settings.chunk_overlap,
              "chunker": CHUNKER_VERSION}
    stale = [k for k, v in wanted.items() if fp.get(k) != v]
    if not fp.get("embedder", "").startswith(f"{settings.embedder}:"):
        stale.append("embedder")
    detail = (f"{state.sources} sources, {state.chunks} chunks, "
              f"updated {state.updated_at}")
    if stale:
        yield Check("index", False, f"{detail}; built with other settings ({', '.join(stale)})",
                    "faultline ingest (it rebuilds)")
    else:
        yield Check("index", True, detail)
