"""Run the stages in order and collect what they find into a ``Brief``.

``analyze(paths)`` is the whole pipeline; ``analyze_articles(articles)``
starts after ingest, for articles built in Python. Per-article stages
(clean, segment, attribution) run article by article: an article that makes
a stage fail is recorded as ``Skipped`` and the rest of the batch goes on.
A ``progress(stage, done, total)`` callback, when given, is told how far
each stage has got.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .attribution import extract_attribution
from .claims import group_claims
from .clean import clean_article
from .config import Settings
from .corroborate import corroborate
from .ingest import ingest
from .model import Article, Brief, Citation, Quote, Sentence, Skipped
from .quality import find_flags
from .reuse import find_reuse
from .segment import segment
from .stories import group_stories

Progress = Callable[[str, int, int], None]
R = TypeVar("R")

STAGES = (
    "ingest",
    "clean",
    "segment",
    "reuse",
    "stories",
    "attribution",
    "claims",
    "corroborate",
    "quality",
)


def analyze(
    paths: Iterable[str | Path],
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Brief:
    """Read the articles under ``paths`` and run every stage on them."""
    settings = settings or Settings()
    paths = list(paths)
    result = ingest(paths, settings=settings)
    _tell(progress, "ingest", len(paths), len(paths))
    return analyze_articles(
        result.articles, settings=settings, progress=progress, skipped=result.skipped
    )


def analyze_articles(
    articles: Sequence[Article],
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    skipped: Sequence[Skipped] = (),
) -> Brief:
    """Run every stage after ingest on ``articles``."""
    settings = settings or Settings()
    skips = list(skipped)
    cleaned = _each(
        articles, "clean", lambda a: clean_article(a, settings=settings), skips, progress
    )
    cleaned = [a for a in cleaned if a.text.strip() or _skip(skips, a, "clean", "nothing left")]
    sentences = dict(
        zip(
            [a.id for a in cleaned],
            _each(cleaned, "segment", segment, skips, progress, keep_failed=True),
            strict=True,
        )
    )
    reuse = find_reuse(cleaned, sentences, settings=settings)
    _tell(progress, "reuse", 1, 1)
    stories = group_stories(cleaned, reuse, settings=settings)
    _tell(progress, "stories", 1, 1)
    quotes, citations = _attribution(cleaned, sentences, settings, skips, progress)
    claims = group_claims(sentences, reuse, stories, settings=settings)
    _tell(progress, "claims", 1, 1)
    claims = corroborate(claims, cleaned, reuse, quotes, citations)
    _tell(progress, "corroborate", 1, 1)
    flags = find_flags(cleaned, reuse, quotes)
    _tell(progress, "quality", 1, 1)
    return Brief(
        articles=tuple(cleaned),
        sentences=tuple(s for a in cleaned for s in sentences[a.id]),
        reuse=reuse,
        stories=stories,
        quotes=tuple(quotes),
        citations=tuple(citations),
        claims=claims,
        flags=flags,
        skipped=tuple(skips),
    )


def _attribution(
    articles: Sequence[Article],
    sentences: dict[str, tuple[Sentence, ...]],
    settings: Settings,
    skips: list[Skipped],
    progress: Progress | None,
) -> tuple[list[Quote], list[Citation]]:
    results = _each(
        articles,
        "attribution",
        lambda a: extract_attribution(a, sentences[a.id], settings=settings),
        skips,
        progress,
        keep_failed=True,
    )
    quotes = [q for result in results if result for q in result[0]]
    citations = [c for result in results if result for c in result[1]]
    return quotes, citations


def _each(
    articles: Sequence[Article],
    stage: str,
    function: Callable[[Article], R],
    skips: list[Skipped],
    progress: Progress | None,
    *,
    keep_failed: bool = False,
) -> list[Any]:
    """Apply ``function`` to each article; record failures as skipped.

    With ``keep_failed`` a failed article yields an empty tuple (it stays in
    the run with nothing found by this stage); otherwise it is dropped.
    """
    results: list[Any] = []
    for done, article in enumerate(articles, 1):
        try:
            results.append(function(article))
        except Exception as exc:  # one bad article must not stop the batch
            _skip(skips, article, stage, f"{type(exc).__name__}: {exc}")
            if keep_failed:
                results.append(())
        _tell(progress, stage, done, len(articles))
    return results


def _skip(skips: list[Skipped], article: Article, stage: str, reason: str) -> bool:
    skips.append(Skipped(source=article.source_path, stage=stage, reason=reason))
    return False


def _tell(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)
