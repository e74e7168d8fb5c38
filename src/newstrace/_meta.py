"""Article metadata that ingest infers: language, outlet, publication time.

``Enricher`` is built once per ingest run from ``Settings`` and holds what is
costly to build: the language detector (lingua, restricted to
``Settings.languages`` and built on first use) and the outlet alias table.
No module-level caches.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._outlets import OutletTable, strip_tracking
from .config import Settings
from .errors import ConfigError

if TYPE_CHECKING:
    from lingua import LanguageDetector

LANGUAGE_SAMPLE_CHARS = 2_000
MIN_LANGUAGE_CHARS = 20
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?")


class Enricher:
    """Fill in an article's language, canonical outlet, clean URL and ISO time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.outlets = OutletTable.with_file(settings.outlet_aliases or None)
        self._detector: LanguageDetector | None = None

    @property
    def detector(self) -> LanguageDetector:
        """The lingua detector for ``Settings.languages``, built on first use."""
        if self._detector is None:
            self._detector = _build_detector(self.settings.languages)
        return self._detector

    def language(self, text: str) -> str | None:
        """ISO 639-1 code of the language of ``text`` (``None`` if unsure or too short)."""
        sample = text[:LANGUAGE_SAMPLE_CHARS]
        if sum(ch.isalpha() for ch in sample) < MIN_LANGUAGE_CHARS:
            return None
        found = self.detector.detect_language_of(sample)
        return found.iso_code_639_1.name.lower() if found is not None else None

    def outlet(self, given: str | None, url: str | None) -> str | None:
        """The canonical outlet: the given name, else the URL's domain."""
        return self.outlets.canonical(given) or self.outlets.from_url(url)

    @staticmethod
    def url(value: str | None) -> str | None:
        """The URL without tracking parameters (``None`` if blank)."""
        return strip_tracking(value) if value and value.strip() else None

    @staticmethod
    def published(value: str | None) -> str | None:
        """``value`` as ISO 8601 when it can be read as a date; else as given."""
        if not value or not value.strip():
            return None
        if _ISO_DATE.fullmatch(value.strip()):
            return value.strip()
        parsed = parse_date(value)
        return parsed.isoformat() if parsed else value.strip()


def parse_date(value: str, *, relative_to: datetime | None = None) -> datetime | None:
    """Parse an ISO, RFC 822 or written date ("March 14, 2022"); ``None`` if unreadable."""
    value = value.strip()[:100]
    if _ISO_DATE.fullmatch(value):
        try:
            return datetime.fromisoformat(value.replace(" ", "T"))
        except ValueError:
            pass
    return _dateparser(value, relative_to)


def _dateparser(value: str, relative_to: datetime | None) -> datetime | None:
    import dateparser  # slow to import: only when a date is not ISO

    options: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if relative_to is not None:
        options["RELATIVE_BASE"] = relative_to.replace(tzinfo=None)
    try:
        parsed = dateparser.parse(value, settings=options)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None or parsed.year < 1900:
        return None
    return parsed


def _build_detector(codes: str) -> LanguageDetector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in filter(None, (c.strip() for c in codes.split(","))):
        try:
            languages.append(Language.from_iso_code_639_1(IsoCode639_1.from_str(code)))
        except (ValueError, AttributeError) as exc:
            raise ConfigError(f"unknown language code {code!r} in settings.languages") from exc
    if len(languages) < 2:
        raise ConfigError("settings.languages needs at least two language codes")
    return LanguageDetectorBuilder.from_languages(*languages).build()
