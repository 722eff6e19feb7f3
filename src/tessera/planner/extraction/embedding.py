"""The embedding model: WordLlama's static token vectors, loaded offline once per process.

WordLlama (l2_supercat, 256 dimensions, 16 MB) embeds a text as the mean of its tokens'
vectors, with no attention: a word costs a table lookup, so embedding every distinct word of a
posting takes about a millisecond on a CPU. The package ships its weights and tokenizer, but
its own file lookup would try the network; it is loaded from its install folder with downloads
disabled, and only when first needed (importing wordllama pulls in its tokenizer library).
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]


class EmbeddingModel(Protocol):
    """What the extractor needs from an embedding model (tests may pass their own)."""

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One unit-length row per text (a zero row for a text with no tokens)."""
        ...


class WordLlamaModel:
    """EmbeddingModel over a loaded WordLlama inference object (its table and tokenizer)."""

    def __init__(self, inference: Any) -> None:
        self._table: Vectors = np.ascontiguousarray(inference.embedding, dtype=np.float32)
        self._tokenizer = inference.tokenizer

    @property
    def dim(self) -> int:
        return int(self._table.shape[1])

    def embed(self, texts: Sequence[str]) -> Vectors:
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        for row, encoding in enumerate(encodings):
            # The tokenizer pads a batch to its longest text: padding is not part of the text.
            ids = [i for i, real in zip(encoding.ids, encoding.attention_mask, strict=True) if real]
            if ids:
                result[row] = self._table[ids].sum(axis=0)  # the mean, up to its length
        return normalise(result)


def normalise(vectors: Vectors) -> Vectors:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    scaled: Vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return scaled


_lock = threading.Lock()
_model: WordLlamaModel | None = None


def wordllama() -> WordLlamaModel:
    """The WordLlama model shipped inside the wordllama package: loaded on first use, offline,
    once per process (0.2 s), then shared (it is read-only)."""
    global _model
    with _lock:
        if _model is None:
            _model = WordLlamaModel(_load_offline())
        return _model


def _load_offline() -> Any:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    # import_module: wordllama ships no type information, and is only needed on first use.
    # Its `inference` module calls logging.basicConfig(level=INFO) at import: undo that, so
    # that loading the model does not change how the application logs.
    package = importlib.import_module("wordllama")
    root.handlers[:] = handlers
    root.setLevel(level)
    folder = Path(package.__file__ or ".").parent
    return package.WordLlama.load(cache_dir=folder, disable_download=True)
