"""Alembic environment of the newstrace store.

``newstrace.store`` runs ``alembic upgrade head`` programmatically when it
opens a store, passing its connection in ``config.attributes["connection"]``.
Run by hand (``alembic -c alembic.ini upgrade head``), the URL comes from the
``sqlalchemy.url`` option.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from newstrace.store._tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        _run(conn)
