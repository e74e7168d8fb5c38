"""The project store: articles, stage caches and the last analysis, in SQL.

>>> from newstrace.store import open_store
>>> store = open_store("newstrace.db")            # or "postgresql://user@host/db"
>>> store.add_articles(articles)                  # AddResult(added=..., already_present=...)
>>> store.save_brief(brief); store.load_brief().to_json() == brief.to_json()

SQLite by default (a path or ``sqlite:///...``), PostgreSQL by URL; the same
SQLAlchemy code path serves both. Opening a store applies the Alembic
migrations shipped in ``newstrace/store/migrations``.
"""

from .base import AddResult, Store, cache_key, store_url
from .sql import SqlStore, migrate, open_store

__all__ = ["AddResult", "SqlStore", "Store", "cache_key", "migrate", "open_store", "store_url"]
