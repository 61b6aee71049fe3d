"""The embedder component: all-MiniLM-L6-v2 loaded from its installed package, never a hub."""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from app.settings import Settings, go_offline

if TYPE_CHECKING:
    from chromadb.utils.embedding_functions import SentenceTransformerEmbeddingFunction


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


@lru_cache(maxsize=2)
def _load(path: str, threads: int) -> SentenceTransformerEmbeddingFunction:
    go_offline()
    import torch
    from chromadb.utils.embedding_functions import SentenceTransformerEmbeddingFunction
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # counting tokens of long texts is what we want
    hf_logging.disable_progress_bar()
    torch.set_num_threads(threads)
    return SentenceTransformerEmbeddingFunction(
        model_name=path, device="cpu", normalize_embeddings=True
    )


class Embedder:
    """Chroma's sentence-transformers embedding function plus what chunking needs to know."""

    def __init__(self, settings: Settings):
        self.path = model_path(settings.embedder)
        self.function = _load(str(self.path), settings.embed_threads)
        self.model = self.function._model  # the SentenceTransformer chroma loaded
        self.tokenizer = self.model.tokenizer
        self.max_tokens: int = self.model.max_seq_length
        self.dimension: int = self.model.get_embedding_dimension()
        self.name = f"{settings.embedder}:{self.dimension}"

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for this text, [CLS] and [SEP] included."""
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [v.tolist() for v in self.function(texts)]
