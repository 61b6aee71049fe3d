"""The embedder component: all-MiniLM-L6-v2 loaded from its installed package, never a hub.
Loading torch costs seconds, so the model loads on first use: an ingest with nothing to embed
and a page that is only being opened never pay for it."""

from __future__ import annotations

import importlib
import json
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

from app.settings import Settings, go_offline


class EmbedderMissing(RuntimeError):
    """The configured embedder is neither an installed package nor a folder."""


def model_path(name: str) -> Path:
    """Resolve an embedder setting (a local folder or a package exposing get_model_path())."""
    if Path(name).is_dir():
        return Path(name)
    try:
        module = importlib.import_module(name.replace("-", "_"))
    except ImportError as exc:
        raise EmbedderMissing(
            f"embedder {name!r} is neither a folder nor an installed package; "
            f"run `make setup` (or `pip install {name}`)"
        ) from exc
    return Path(module.get_model_path())


def read_dimension(path: Path) -> int:
    """Output size from the sentence-transformers folder's own config (no torch needed)."""
    modules = json.loads((path / "modules.json").read_text())
    dimension = 0
    for module in modules:
        config = path / module["path"] / "config.json"
        if module["type"].endswith("Pooling"):
            dimension = json.loads(config.read_text())["word_embedding_dimension"]
        elif module["type"].endswith("Dense"):
            dimension = json.loads(config.read_text())["out_features"]
    return dimension


_models: dict[tuple[str, int], Any] = {}
_load_lock = threading.Lock()


def load_model(path: str, threads: int):
    """One SentenceTransformer per folder and thread count for the whole process."""
    with _load_lock:
        if (path, threads) not in _models:
            go_offline()
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()  # we count tokens of long texts on purpose
            hf_logging.disable_progress_bar()
            torch.set_num_threads(threads)
            _models[(path, threads)] = SentenceTransformer(path, device="cpu")
        return _models[(path, threads)]


class Embedder:
    """Embeds chunks and questions (the vectors are handed to Chroma explicitly), and tells
    chunking how many tokens a text is."""

    def __init__(self, settings: Settings):
        self.path = model_path(settings.embedder)
        self.dimension: int = read_dimension(self.path)
        self.name = f"{settings.embedder}:{self.dimension}"
        self.threads = settings.embed_threads

    @property
    def model(self):
        return load_model(str(self.path), self.threads)

    @cached_property
    def tokenizer(self):
        return self.model.tokenizer

    @cached_property
    def max_tokens(self) -> int:
        return self.model.max_seq_length

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for this text, [CLS] and [SEP] included."""
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Unit vectors (cosine = dot product), in batches of 64."""
        return self.model.encode(texts, batch_size=64, normalize_embeddings=True,
                                 convert_to_numpy=True).tolist()
