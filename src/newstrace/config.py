"""Settings: every tunable of the pipeline in one frozen object.

``load_settings(path)`` reads overrides from a TOML file::

    [newstrace]
    shingle_size = 5
    near_duplicate_threshold = 0.5
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ConfigError


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Tunables of the pipeline; the defaults are measured on the example corpus."""

    seed: int = 1
    max_article_chars: int = 2_000_000
    max_file_bytes: int = 20_000_000
    # reuse
    shingle_size: int = 4
    num_perm: int = 128
    lsh_threshold: float = 0.1
    sentence_shingle_size: int = 3
    min_shared_sentences: int = 2
    sentence_match_threshold: float = 0.6
    verbatim_similarity: float = 0.97
    # stories
    story_similarity: float = 0.12
    # claims
    claim_similarity: float = 0.45
    # ingest: formats, fields of JSON records ("" = try the common names), URLs
    text_field: str = ""
    title_field: str = ""
    url_field: str = ""
    date_field: str = ""
    outlet_field: str = ""
    max_records_per_file: int = 100_000
    allow_private_urls: bool = False
    fetch_timeout: float = 15.0
    max_fetch_bytes: int = 10_000_000
    fetch_concurrency: int = 4
    # ingest: metadata (ISO 639-1 codes for language detection; TOML alias file)
    languages: str = "en,de,fr,es,it,pt,nl,ru,zh,ar"
    outlet_aliases: str = ""
    # clean
    keep_boilerplate: bool = False
    template_min_articles: int = 3
    template_min_share: float = 0.5


def load_settings(path: str | Path | None = None, **overrides: object) -> Settings:
    """Build ``Settings`` from an optional TOML file plus keyword overrides."""
    values: dict[str, object] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read settings: {exc}") from exc
        values.update(data.get("newstrace", data))
    values.update(overrides)
    known = {f.name: f for f in fields(Settings)}
    for name, value in values.items():
        if name not in known:
            raise ConfigError(f"unknown setting {name!r}")
        default = getattr(Settings(), name)
        if not isinstance(value, type(default)) and not (
            isinstance(default, float) and isinstance(value, int)
        ):
            raise ConfigError(f"setting {name!r} must be {type(default).__name__}, got {value!r}")
    return replace(Settings(), **values)  # type: ignore[arg-type]
