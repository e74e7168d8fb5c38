"""SQLAlchemy 2 models of the store: one table per record type.

Articles keep both texts: ``raw_text`` as read and ``text`` as cleaned (equal
until the clean stage ran, which ``clean_key`` records); ``extra`` holds any
further metadata field of ``Article`` as JSON. The analysis of the
project (the last ``Brief``) lives in the tables below ``BriefArticle``; each
row has a ``pos`` so that a brief reads back in the order it was written,
columns to query by (article, story, kind, offsets) and the whole record as
JSON in ``data`` (see ``_codec``), so that fields added to a record later are
kept without a migration.
``ArticleCache`` and ``PairCache`` hold per-article and per-pair results of
the stages (sentences, attribution, reuse comparisons) keyed by a digest of
the settings, so an incremental analysis does not redo them; ``VectorRow``
and ``SignatureRow`` hold embeddings and shingle signatures as raw bytes.

These models describe the schema at the *latest* migration; the migrations in
``store/migrations/versions`` create it (a test checks that the two agree).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID = String(64)


class Base(DeclarativeBase):
    """Declarative base of every store table."""


class ArticleRow(Base):
    """One ingested article; ``seq`` is the ingest order."""

    __tablename__ = "article"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(ID, unique=True)
    source_path: Mapped[str] = mapped_column(Text)
    raw_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    outlet: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    removed: Mapped[Any] = mapped_column(JSON)
    kept: Mapped[Any] = mapped_column(JSON)
    extra: Mapped[Any] = mapped_column(JSON)
    clean_key: Mapped[str | None] = mapped_column(String(64))


class ArticleCache(Base):
    """A per-article stage result (``stage`` is e.g. ``segment``)."""

    __tablename__ = "article_cache"
    article_id: Mapped[str] = mapped_column(
        ID, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    stage: Mapped[str] = mapped_column(String(32), primary_key=True)
    settings_key: Mapped[str] = mapped_column(String(64))
    data: Mapped[Any] = mapped_column(JSON)


class PairCache(Base):
    """The reuse comparison of two articles (``data`` is null: no reuse)."""

    __tablename__ = "pair_cache"
    first_id: Mapped[str] = mapped_column(ID, primary_key=True)
    second_id: Mapped[str] = mapped_column(ID, primary_key=True)
    settings_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON, nullable=True)


class VectorRow(Base):
    """A sentence embedding (float32 bytes), keyed by model and text digest."""

    __tablename__ = "vector"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SignatureRow(Base):
    """The sampled shingle hashes of an article (uint64 bytes), for candidate search;
    ``settings_key`` is the key of the settings and cleaned text they came from."""

    __tablename__ = "signature"
    article_id: Mapped[str] = mapped_column(
        ID, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    settings_key: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Meta(Base):
    """Key/value facts about the project (e.g. the settings of the last analysis)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class BriefArticle(Base):
    """The articles of the stored brief, in its order."""

    __tablename__ = "brief_article"
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[str] = mapped_column(ID)


class ReuseRow(Base):
    """A reuse edge; the whole record, aligned pairs included, is the
    ``ReuseData`` row of key ``data_key``."""

    __tablename__ = "reuse"
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source_id: Mapped[str] = mapped_column(ID, index=True)
    target_id: Mapped[str] = mapped_column(ID, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    data_key: Mapped[str] = mapped_column(String(40))


class ReuseData(Base):
    """A reuse record as JSON, keyed by a digest of that JSON.

    Kept apart from the ordered ``ReuseRow`` so that saving a brief writes only
    the records that are new: the links of a large store are mostly those of
    the last analysis, and their JSON (with the aligned sentences) is most of
    the brief's size.
    """

    __tablename__ = "reuse_data"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON)


class StoryRow(Base):
    """A story; its members are in ``StoryArticle``."""

    __tablename__ = "story"
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(ID, index=True)
    title: Mapped[str] = mapped_column(Text)
    data: Mapped[Any] = mapped_column(JSON)


class StoryArticle(Base):
    """One article of a story, in the story's order."""

    __tablename__ = "story_article"
    story_pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[str] = mapped_column(ID, index=True)


class QuoteRow(Base):
    """A direct or reported quote."""

    __tablename__ = "quote"
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(ID)
    article_id: Mapped[str] = mapped_column(ID, index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(Text)
    speaker_kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[Any] = mapped_column(JSON)


class CitationRow(Base):
    """An outlet citation."""

    __tablename__ = "citation"
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[str] = mapped_column(ID, index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    outlet: Mapped[str] = mapped_column(Text)
    data: Mapped[Any] = mapped_column(JSON)


class ClaimRow(Base):
    """A claim; its mentions, origins and chains are child rows by ``claim_pos``."""

    __tablename__ = "claim"
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(ID)
    story_id: Mapped[str | None] = mapped_column(ID, index=True)
    statement: Mapped[str] = mapped_column(Text)
    independent_count: Mapped[int] = mapped_column(Integer)
    data: Mapped[Any] = mapped_column(JSON)


class MentionRow(Base):
    """A sentence asserting a claim."""

    __tablename__ = "mention"
    claim_pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[str] = mapped_column(ID, index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    stance: Mapped[str] = mapped_column(String(32))
    data: Mapped[Any] = mapped_column(JSON)


class OriginRow(Base):
    """An origin of a claim (its evidence spans in ``data``)."""

    __tablename__ = "origin"
    claim_pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    data: Mapped[Any] = mapped_column(JSON)


class ChainRow(Base):
    """How one article's mention of a claim reaches its origin."""

    __tablename__ = "chain"
    claim_pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[str] = mapped_column(ID)
    origin: Mapped[str] = mapped_column(Text)
    data: Mapped[Any] = mapped_column(JSON)


class FlagRow(Base):
    """A quality flag."""

    __tablename__ = "flag"
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[str] = mapped_column(ID, index=True)
    kind: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    data: Mapped[Any] = mapped_column(JSON)


class SkippedRow(Base):
    """An input the stored analysis skipped."""

    __tablename__ = "skipped"
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(32))
    data: Mapped[Any] = mapped_column(JSON)


class BriefPart(Base):
    """Any other field of the brief (e.g. the provenance graph), as JSON."""

    __tablename__ = "brief_part"
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON)


# Tables of the stored brief, parents before children (deleted in reverse);
# ``ReuseData`` is written apart (only what is new, see ``sql._write_reuse_data``).
BRIEF_TABLES = (
    BriefArticle,
    ReuseRow,
    StoryRow,
    StoryArticle,
    QuoteRow,
    CitationRow,
    ClaimRow,
    MentionRow,
    OriginRow,
    ChainRow,
    FlagRow,
    SkippedRow,
    BriefPart,
)
# Every table in export order.
ALL_TABLES = (
    ArticleRow,
    ArticleCache,
    PairCache,
    VectorRow,
    SignatureRow,
    Meta,
    ReuseData,
    *BRIEF_TABLES,
)
