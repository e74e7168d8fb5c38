"""Reuse records apart from the ordered reuse rows, keyed by a digest of their JSON.

Saving a brief then writes only the reuse records that are new, instead of
rewriting the JSON of every link of the store.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

reuse = sa.table(
    "reuse",
    sa.column("pos", sa.Integer()),
    sa.column("data", sa.Text()),
    sa.column("data_key", sa.String(40)),
)
reuse_data = sa.table("reuse_data", sa.column("key", sa.String(40)), sa.column("data", sa.JSON()))


def _key(text: str) -> str:
    """As ``newstrace.store._records.data_key``."""
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def upgrade() -> None:
    op.create_table(
        "reuse_data",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    with op.batch_alter_table("reuse") as batch:
        batch.add_column(sa.Column("data_key", sa.String(40), nullable=True))
    conn = op.get_bind()
    keys: dict[str, str] = {}
    updates = []
    for pos, text in conn.execute(sa.select(reuse.c.pos, sa.cast(reuse.c.data, sa.Text()))):
        key = _key(text)
        keys.setdefault(key, text)
        updates.append({"row_pos": pos, "new_key": key})
    if keys:
        records = [{"key": k, "data": json.loads(t)} for k, t in keys.items()]
        conn.execute(reuse_data.insert(), records)
        update = reuse.update().where(reuse.c.pos == sa.bindparam("row_pos"))
        conn.execute(update.values(data_key=sa.bindparam("new_key")), updates)
    with op.batch_alter_table("reuse") as batch:
        batch.alter_column("data_key", existing_type=sa.String(40), nullable=False)
        batch.drop_column("data")


def downgrade() -> None:
    with op.batch_alter_table("reuse") as batch:
        batch.add_column(sa.Column("data", sa.JSON(), nullable=True))
    conn = op.get_bind()
    data = sa.select(reuse_data.c.data).where(reuse_data.c.key == reuse.c.data_key)
    conn.execute(reuse.update().values(data=data.scalar_subquery()))
    with op.batch_alter_table("reuse") as batch:
        batch.alter_column("data", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("data_key")
    op.drop_table("reuse_data")
