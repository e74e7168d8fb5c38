"""The first schema: articles, stage caches and the stored brief.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)


def _pos() -> sa.Column:
    return sa.Column("pos", sa.Integer(), primary_key=True, autoincrement=False)


def _part(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), primary_key=True, autoincrement=False)


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", ID, nullable=False, unique=True),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("removed", sa.JSON(), nullable=False),
        sa.Column("kept", sa.JSON(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("clean_key", sa.String(64), nullable=True),
    )
    op.create_table(
        "article_cache",
        sa.Column(
            "article_id",
            ID,
            sa.ForeignKey("article.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("stage", sa.String(32), primary_key=True),
        sa.Column("settings_key", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_table(
        "pair_cache",
        sa.Column("first_id", ID, primary_key=True),
        sa.Column("second_id", ID, primary_key=True),
        sa.Column("settings_key", sa.String(64), primary_key=True),
        sa.Column("data", sa.JSON(), nullable=True),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    _brief_tables()


def _data() -> sa.Column:
    return sa.Column("data", sa.JSON(), nullable=False)


def _ref(name: str, *, index: bool = False) -> sa.Column:
    return sa.Column(name, ID, nullable=False, index=index)


def _offsets() -> list[sa.Column]:
    return [
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
    ]


def _brief_tables() -> None:
    op.create_table("brief_article", _pos(), _ref("article_id"))
    op.create_table(
        "reuse",
        _pos(),
        _ref("source_id", index=True),
        _ref("target_id", index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        _data(),
    )
    op.create_table(
        "story",
        _pos(),
        _ref("id", index=True),
        sa.Column("title", sa.Text(), nullable=False),
        _data(),
    )
    op.create_table("story_article", _part("story_pos"), _pos(), _ref("article_id", index=True))
    op.create_table(
        "quote",
        _pos(),
        _ref("id"),
        _ref("article_id", index=True),
        *_offsets(),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("speaker_kind", sa.String(32), nullable=False),
        _data(),
    )
    op.create_table(
        "citation",
        _pos(),
        _ref("article_id", index=True),
        *_offsets(),
        sa.Column("outlet", sa.Text(), nullable=False),
        _data(),
    )
    _claim_tables()
    op.create_table(
        "flag",
        _pos(),
        _ref("article_id", index=True),
        sa.Column("kind", sa.String(64), nullable=False),
        *_offsets(),
        _data(),
    )
    op.create_table(
        "skipped",
        _pos(),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        _data(),
    )
    op.create_table("brief_part", sa.Column("field", sa.String(64), primary_key=True), _data())


def _claim_tables() -> None:
    op.create_table(
        "claim",
        _pos(),
        _ref("id"),
        sa.Column("story_id", ID, nullable=True, index=True),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("independent_count", sa.Integer(), nullable=False),
        _data(),
    )
    op.create_table(
        "mention",
        _part("claim_pos"),
        _pos(),
        _ref("article_id", index=True),
        *_offsets(),
        sa.Column("stance", sa.String(32), nullable=False),
        _data(),
    )
    op.create_table(
        "origin",
        _part("claim_pos"),
        _pos(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        _data(),
    )
    op.create_table(
        "chain",
        _part("claim_pos"),
        _pos(),
        _ref("article_id"),
        sa.Column("origin", sa.Text(), nullable=False),
        _data(),
    )


def downgrade() -> None:
    for table in (
        "brief_part",
        "skipped",
        "flag",
        "chain",
        "origin",
        "mention",
        "claim",
        "citation",
        "quote",
        "story_article",
        "story",
        "reuse",
        "brief_article",
        "meta",
        "pair_cache",
        "article_cache",
        "article",
    ):
        op.drop_table(table)
