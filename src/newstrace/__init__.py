"""newstrace: how many of these articles are actually independent sources?

>>> import newstrace
>>> brief = newstrace.analyze(["examples/corpus"])
>>> brief.to_json()  # the JSON contract, see newstrace.schema
"""

from importlib import metadata as _metadata

from .config import Settings, load_settings
from .errors import NewstraceError
from .model import (
    AlignedPair,
    Article,
    Brief,
    Chain,
    Citation,
    Claim,
    Flag,
    Mention,
    Origin,
    Quote,
    RemovedSpan,
    Reuse,
    Sentence,
    Skipped,
    Span,
    Story,
)
from .pipeline import analyze, analyze_articles

try:
    __version__ = _metadata.version("newstrace")
except _metadata.PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

__all__ = [
    "AlignedPair",
    "Article",
    "Brief",
    "Chain",
    "Citation",
    "Claim",
    "Flag",
    "Mention",
    "NewstraceError",
    "Origin",
    "Quote",
    "RemovedSpan",
    "Reuse",
    "Sentence",
    "Settings",
    "Skipped",
    "Span",
    "Story",
    "analyze",
    "analyze_articles",
    "load_settings",
    "__version__",
]
