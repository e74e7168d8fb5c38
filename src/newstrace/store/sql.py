"""The SQLAlchemy store: one code path for SQLite and PostgreSQL.

The URL picks the database (``sqlite:///path`` or ``postgresql://...``; a
``postgresql://`` URL uses the psycopg 3 driver). Opening a store applies the
Alembic migrations up to ``head``. Every public method that writes runs in
one transaction (``engine.begin()``): SQLite's journal and PostgreSQL's WAL
make a process killed mid-call leave the store as it was before the call.
SQLite is driven in explicit-transaction mode (``BEGIN`` on every
transaction) so that the schema migration is atomic too: pysqlite on its own
would commit each ``CREATE TABLE`` separately.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import msgspec
from sqlalchemy import (
    Connection,
    Engine,
    Select,
    Text,
    bindparam,
    cast,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from .._gc import gc_paused
from ..errors import StoreError
from ..model import Article, Brief, Sentence, Story
from . import _records
from ._codec import JSONText, json_text
from ._tables import (
    ALL_TABLES,
    BRIEF_TABLES,
    ArticleCache,
    ArticleRow,
    Meta,
    PairCache,
    ReuseData,
    ReuseRow,
    SignatureRow,
    StoryArticle,
    StoryRow,
    VectorRow,
)
from .base import AddResult, Store, cache_key, store_url

MIGRATIONS = Path(__file__).with_name("migrations")
CHUNK = 500
ANALYSIS_KEY = "analysis_key"
HEAD = "0004"  # the latest migration; a test checks it against Alembic's head


class SqlStore(Store):
    """A store in any database SQLAlchemy reaches (tested: SQLite, PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.url = _driver_url(url)
        try:
            self.engine = _engine(self.url)
            migrate(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open store {_safe(self.url)}: {exc}") from exc

    def close(self) -> None:
        self.engine.dispose()

    # articles
    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        batch: dict[str, Article] = {}
        given = 0
        for article in articles:
            given += 1
            batch.setdefault(article.id, article)
        with self._begin() as conn:
            present = _existing(conn, list(batch))
            new = [_records.article_row(a) for i, a in batch.items() if i not in present]
            if new:
                conn.execute(insert(ArticleRow), new)
        return AddResult(added=len(new), already_present=given - len(new))

    @gc_paused()
    def articles(self, ids: Sequence[str] | None = None) -> tuple[Article, ...]:
        query = select(ArticleRow.__table__).order_by(ArticleRow.seq)
        with self._connect() as conn:
            if ids is None:
                rows = conn.execute(query).mappings().all()
            else:
                rows = [
                    row
                    for chunk in _chunks(list(ids))
                    for row in conn.execute(query.where(ArticleRow.id.in_(chunk))).mappings()
                ]
        return tuple(_records.article_from_row(row) for row in rows)

    def article_ids(self) -> tuple[str, ...]:
        with self._connect() as conn:
            return tuple(conn.scalars(select(ArticleRow.id).order_by(ArticleRow.seq)))

    def clean_keys(self) -> dict[str, str | None]:
        with self._connect() as conn:
            rows = conn.execute(
                select(ArticleRow.id, ArticleRow.clean_key).order_by(ArticleRow.seq)
            )
            return {article_id: key for article_id, key in rows}

    def update_cleaned(self, articles: Sequence[Article], *, keys: Mapping[str, str]) -> None:
        with self._begin() as conn:
            _update_cleaned(conn, articles, keys)

    # caches
    @gc_paused()
    def cached(self, stage: str, *, keys: Mapping[str, str]) -> dict[str, Any]:
        query = select(ArticleCache.article_id, ArticleCache.settings_key)
        query = query.where(ArticleCache.stage == stage)
        with self._connect() as conn:
            current = conn.execute(query).all()
            wanted = [i for i, key in current if keys.get(i) == key]
            query = query.add_columns(ArticleCache.data)
            if len(wanted) * 2 > len(current):  # most of them: one scan
                rows = conn.execute(query)
                return {i: data for i, key, data in rows if keys.get(i) == key}
            return {  # a few (an update): only their data is read and parsed
                i: data
                for chunk in _chunks(wanted)
                for i, key, data in conn.execute(query.where(ArticleCache.article_id.in_(chunk)))
                if keys.get(i) == key
            }

    def cache(self, stage: str, results: Mapping[str, Any], *, keys: Mapping[str, str]) -> None:
        with self._begin() as conn:
            _write_cache(conn, stage, results, keys)

    @gc_paused()
    def cached_pairs(
        self, *, keys: Mapping[tuple[str, str], str]
    ) -> dict[tuple[str, str], JSONText]:
        query = select(PairCache.first_id, PairCache.second_id, PairCache.settings_key)
        with self._connect() as conn:
            rows = conn.execute(query.add_columns(cast(PairCache.data, Text)))
            return {
                (a, b): JSONText(data or "null")
                for a, b, key, data in rows
                if keys.get((a, b)) == key
            }

    def cache_pairs(
        self, results: Mapping[tuple[str, str], Any], *, keys: Mapping[tuple[str, str], str]
    ) -> None:
        rows = [
            {"first_id": a, "second_id": b, "settings_key": keys[a, b], "data": data}
            for (a, b), data in results.items()
        ]
        with self._begin() as conn:
            for row in rows:  # one comparison per pair: older keys are stale
                conn.execute(
                    delete(PairCache).where(
                        PairCache.first_id == row["first_id"],
                        PairCache.second_id == row["second_id"],
                    )
                )
            if rows:
                conn.execute(insert(PairCache), rows)

    def vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self._connect() as conn:
            for chunk in _chunks(list(keys)):
                query = select(VectorRow.key, VectorRow.data).where(VectorRow.key.in_(chunk))
                found.update((key, bytes(data)) for key, data in conn.execute(query))
        return found

    def add_vectors(self, vectors: Mapping[str, bytes]) -> None:
        with self._begin() as conn:
            _insert_vectors(conn, vectors)

    @gc_paused()
    def signatures(self, *, keys: Mapping[str, str]) -> dict[str, bytes]:
        query = select(SignatureRow.article_id, SignatureRow.settings_key, SignatureRow.data)
        with self._connect() as conn:
            return {i: bytes(data) for i, key, data in conn.execute(query) if keys.get(i) == key}

    def add_signatures(self, signatures: Mapping[str, bytes], *, keys: Mapping[str, str]) -> None:
        rows = [
            {"article_id": i, "settings_key": keys[i], "data": data}
            for i, data in signatures.items()
        ]
        with self._begin() as conn:
            _replace_signatures(conn, rows)

    # the analysis
    @gc_paused()
    def save_brief(
        self,
        brief: Brief,
        *,
        settings_key: str = "saved",
        cleaned: Sequence[Article] = (),
        clean_keys: Mapping[str, str] | None = None,
        meta: Mapping[str, str] | None = None,
        encoded: Sequence[tuple[object, Any]] = (),
        text_keys: Mapping[str, str] | None = None,
    ) -> None:
        rows = _records.brief_rows(brief, encoded)
        sentences = _sentences_by_article(brief)
        with self._begin() as conn:
            present = _existing(conn, [a.id for a in brief.articles])
            missing = [_records.article_row(a) for a in brief.articles if a.id not in present]
            if missing:
                conn.execute(insert(ArticleRow), missing)
            _update_cleaned(conn, cleaned, clean_keys or {})
            _write_brief(conn, rows)
            keys = dict(text_keys or {})
            keys |= {
                a.id: cache_key(settings_key, a.text) for a in brief.articles if a.id not in keys
            }
            _write_sentences(conn, sentences, keys)
            facts = {**(meta or {}), ANALYSIS_KEY: settings_key}
            conn.execute(delete(Meta).where(Meta.key.in_(facts)))
            conn.execute(insert(Meta), [{"key": k, "value": v} for k, v in facts.items()])

    @gc_paused()
    def load_brief(self, story_id: str | None = None) -> Brief:
        with self._connect() as conn:
            rows = {
                model.__tablename__: [
                    dict(row)
                    for row in conn.execute(
                        _with_data(model).order_by(*model.__table__.primary_key.columns)
                    ).mappings()
                ]
                for model in BRIEF_TABLES
            }
        if not rows["brief_article"]:
            raise StoreError(f"{_safe(self.url)} holds no analysis yet: run newstrace analyze --db")
        if story_id is not None:
            rows = _story_rows(rows, story_id, self.url)
        ids = [r["article_id"] for r in rows["brief_article"]]
        articles = {a.id: a for a in self.articles(ids)}
        with self._connect() as conn:
            query = select(ArticleCache.article_id, ArticleCache.data)
            sentences = dict(conn.execute(query.where(ArticleCache.stage == "segment")).all())
        return _records.brief_from_rows(
            rows,
            articles,
            {
                i: _records.sentences_from_data(sentences[i].get("ok", []))
                for i in ids
                if i in sentences
            },
        )

    @gc_paused()
    def stories(self) -> tuple[Story, ...]:
        with self._connect() as conn:
            rows = {
                "story": conn.execute(select(StoryRow.__table__).order_by(StoryRow.pos))
                .mappings()
                .all(),
                "story_article": conn.execute(
                    select(StoryArticle.__table__).order_by(
                        StoryArticle.story_pos, StoryArticle.pos
                    )
                )
                .mappings()
                .all(),
            }
        return tuple(_records.stories_from_rows(rows))

    def get_meta(self, key: str) -> str | None:
        with self._connect() as conn:
            return conn.scalar(select(Meta.value).where(Meta.key == key))

    def set_meta(self, key: str, value: str) -> None:
        with self._begin() as conn:
            conn.execute(delete(Meta).where(Meta.key == key))
            conn.execute(insert(Meta), [{"key": key, "value": value}])

    # whole project
    def export_jsonl(self, out: IO[str]) -> int:
        count = 0
        with self._connect() as conn:
            for model in ALL_TABLES:
                table = model.__table__
                query = select(table).order_by(*table.primary_key.columns)
                for row in conn.execute(query).mappings():
                    values = {k: _jsonable(v) for k, v in row.items() if k != "seq"}
                    line = {"table": table.name, "row": values}
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
                    count += 1
        return count

    def import_jsonl(self, lines: Iterable[str]) -> AddResult:
        tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for number, line in enumerate(lines, 1):
            if line.strip():
                tables[_table_of(line, number)].append(json.loads(line)["row"])
        for row in tables["vector"] + tables["signature"]:
            row["data"] = base64.b64decode(row["data"])
        with self._begin() as conn:
            rows = {row["id"]: row for row in tables["article"]}
            present = _existing(conn, list(rows))
            new = [row for i, row in rows.items() if i not in present]
            if new:
                conn.execute(insert(ArticleRow), new)
            _import_caches(conn, tables)
            _insert_vectors(conn, {row["key"]: row["data"] for row in tables["vector"]})
            _replace_signatures(conn, [r for r in tables["signature"] if r["article_id"] in rows])
            if tables["brief_article"]:
                _write_brief(conn, _imported_brief(tables))
            for row in tables["meta"]:
                conn.execute(delete(Meta).where(Meta.key == row["key"]))
                conn.execute(insert(Meta), [row])
        return AddResult(added=len(new), already_present=len(tables["article"]) - len(new))

    # helpers
    def _begin(self) -> _Guard:
        return _Guard(self.engine, self.url, write=True)

    def _connect(self) -> _Guard:
        return _Guard(self.engine, self.url, write=False)


class _Guard:
    """A connection (in a transaction when writing) whose errors become StoreError."""

    def __init__(self, engine: Engine, url: str, *, write: bool) -> None:
        self.engine, self.url, self.write = engine, url, write

    def __enter__(self) -> Connection:
        try:
            self.context = self.engine.begin() if self.write else self.engine.connect()
            return self.context.__enter__()
        except SQLAlchemyError as exc:
            raise StoreError(f"store {_safe(self.url)}: {exc}") from exc

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            self.context.__exit__(exc_type, exc, tb)
        except SQLAlchemyError as error:
            raise StoreError(f"store {_safe(self.url)}: {error}") from error
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"store {_safe(self.url)}: {exc}") from exc


def open_store(location: str | Path) -> Store:
    """Open (creating and migrating if needed) the store at a URL or SQLite path."""
    return SqlStore(store_url(location))


def migrate(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations of the store up to ``revision``.

    A store already at ``HEAD`` is left alone without loading Alembic.
    """
    if revision == "head" and _revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _driver_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _serialise(value: Any) -> str:
    """JSON text of a JSON column's value."""
    return str(json_text(value))


def _deserialise(text: str) -> Any:
    """The value of a JSON column (msgspec; ``json`` for what it refuses, such as NaN)."""
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError:
        return json.loads(text)


def _engine(url: str) -> Engine:
    json_options = {"json_serializer": _serialise, "json_deserializer": _deserialise}
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **json_options)
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **json_options)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we BEGIN ourselves, DDL included
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _write_brief(conn: Connection, rows: Mapping[str, list[dict[str, Any]]]) -> None:
    """Replace the stored brief by ``rows`` (``_records.brief_rows``)."""
    for model in reversed(BRIEF_TABLES):
        conn.execute(delete(model))
    for model in BRIEF_TABLES:
        if rows[model.__tablename__]:
            conn.execute(insert(model), rows[model.__tablename__])
    _write_reuse_data(conn, rows["reuse_data"])


def _write_reuse_data(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Make the ``reuse_data`` rows those of ``rows``: insert the new ones,
    delete those no longer named; a record stored before is not written again."""
    stored = set(conn.scalars(select(ReuseData.key)))
    wanted = {row["key"] for row in rows}
    for chunk in _chunks(sorted(stored - wanted)):
        conn.execute(delete(ReuseData).where(ReuseData.key.in_(chunk)))
    if new := [row for row in rows if row["key"] not in stored]:
        conn.execute(insert(ReuseData), new)


def _with_data(model: type) -> Select[Any]:
    """All columns of a brief table; for ``reuse``, with the ``data`` its key names."""
    if model is not ReuseRow:
        return select(model.__table__)  # type: ignore[attr-defined]
    return select(ReuseRow.__table__, ReuseData.data).join(
        ReuseData, ReuseData.key == ReuseRow.data_key
    )


def _imported_brief(tables: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The brief rows of an export; reuse rows of an export made before
    ``reuse_data`` existed carry their ``data`` themselves."""
    rows = {model.__tablename__: list(tables[model.__tablename__]) for model in BRIEF_TABLES}
    reuse_data = list(tables["reuse_data"])
    if any("data" in row for row in rows["reuse"]):
        rows["reuse"] = [dict(row) for row in rows["reuse"]]
        reuse_data += _records.content_addressed(rows["reuse"])
    rows["reuse_data"] = list({row["key"]: row for row in reuse_data}.values())
    return rows


def _existing(conn: Connection, ids: list[str]) -> set[str]:
    """Those of ``ids`` that are stored articles."""
    if len(ids) > 20 * CHUNK:  # many (a whole brief): one scan beats hundreds of lookups
        wanted = set(ids)
        return {i for i in conn.scalars(select(ArticleRow.id)) if i in wanted}
    present: set[str] = set()
    for chunk in _chunks(ids):
        present.update(conn.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(chunk))))
    return present


def _update_cleaned(conn: Connection, articles: Sequence[Article], keys: Mapping[str, str]) -> None:
    table = ArticleRow.__table__
    fixed = ("id", "source_path", "raw_text")
    rows = []
    for article in articles:
        row = _records.article_row(article, clean_key=keys[article.id])
        rows.append({"row_id": article.id} | {k: v for k, v in row.items() if k not in fixed})
    if rows:  # one statement, executed for every row
        columns = {k: bindparam(k) for k in rows[0] if k != "row_id"}
        update = table.update().where(table.c.id == bindparam("row_id")).values(columns)
        conn.execute(update, rows)


def _sentences_by_article(brief: Brief) -> dict[str, list[Sentence]]:
    sentences: dict[str, list[Sentence]] = {a.id: [] for a in brief.articles}
    for sentence in brief.sentences:
        sentences.setdefault(sentence.article_id, []).append(sentence)
    return sentences


def _write_sentences(
    conn: Connection, sentences: Mapping[str, Sequence[Sentence]], keys: Mapping[str, str]
) -> None:
    """Store the brief's sentences as the ``segment`` cache, where it is not current
    (an article without sentences in the brief keeps what is cached)."""
    query = select(ArticleCache.article_id, ArticleCache.settings_key)
    current = dict(conn.execute(query.where(ArticleCache.stage == "segment")).all())
    todo = {
        i: {"ok": _records.sentences_data(s)}
        for i, s in sentences.items()
        if s and current.get(i) != keys[i]
    }
    _write_cache(conn, "segment", todo, keys)


def _write_cache(
    conn: Connection, stage: str, results: Mapping[str, Any], keys: Mapping[str, str]
) -> None:
    ids = list(results)
    for chunk in _chunks(ids):
        conn.execute(
            delete(ArticleCache).where(
                ArticleCache.stage == stage, ArticleCache.article_id.in_(chunk)
            )
        )
    rows = [
        {"article_id": i, "stage": stage, "settings_key": keys[i], "data": results[i]} for i in ids
    ]
    if rows:
        conn.execute(insert(ArticleCache), rows)


def _chunks(items: list[str]) -> list[list[str]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _story_rows(
    rows: dict[str, list[dict[str, Any]]], story_id: str, url: str
) -> dict[str, list[dict[str, Any]]]:
    """The rows of the brief that concern one story (matched by id or id prefix)."""
    matches = [r for r in rows["story"] if r["id"] == story_id or r["id"].startswith(story_id)]
    if len(matches) != 1:
        found = "no" if not matches else "more than one"
        raise StoreError(f"{_safe(url)}: {found} story matches {story_id!r}")
    pos = matches[0]["pos"]
    members = {r["article_id"] for r in rows["story_article"] if r["story_pos"] == pos}
    claims = [r for r in rows["claim"] if r["story_id"] == matches[0]["id"]]
    claim_pos = {r["pos"] for r in claims}
    kept = dict(rows)
    kept["story"] = matches
    kept["story_article"] = [r for r in rows["story_article"] if r["story_pos"] == pos]
    kept["claim"] = claims
    for table in ("mention", "origin", "chain"):
        kept[table] = [r for r in rows[table] if r["claim_pos"] in claim_pos]
    for table in ("brief_article", "quote", "citation", "flag"):
        kept[table] = [r for r in rows[table] if r["article_id"] in members]
    kept["reuse"] = [
        r for r in rows["reuse"] if r["source_id"] in members and r["target_id"] in members
    ]
    return kept


def _import_caches(conn: Connection, tables: Mapping[str, list[dict[str, Any]]]) -> None:
    for model, key in ((ArticleCache, ("article_id", "stage")), (PairCache, None)):
        rows = tables[model.__tablename__]
        if not rows:
            continue
        if key is None:
            conn.execute(delete(model))
        else:
            for row in rows:
                conn.execute(
                    delete(model).where(
                        ArticleCache.article_id == row["article_id"],
                        ArticleCache.stage == row["stage"],
                    )
                )
        conn.execute(insert(model), rows)


def _insert_vectors(conn: Connection, vectors: Mapping[str, bytes]) -> None:
    present: set[str] = set()
    for chunk in _chunks(list(vectors)):
        present.update(conn.scalars(select(VectorRow.key).where(VectorRow.key.in_(chunk))))
    rows = [{"key": k, "data": v} for k, v in vectors.items() if k not in present]
    if rows:
        conn.execute(insert(VectorRow), rows)


def _replace_signatures(conn: Connection, rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks([row["article_id"] for row in rows]):
        conn.execute(delete(SignatureRow).where(SignatureRow.article_id.in_(chunk)))
    if rows:
        conn.execute(insert(SignatureRow), rows)


def _jsonable(value: Any) -> Any:
    """Column values as JSON: bytes (embeddings) as base64 text."""
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def _table_of(line: str, number: int) -> str:
    try:
        document = json.loads(line)
        table = document["table"]
        document["row"]
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"line {number}: not a newstrace export line ({exc})") from exc
    if table not in {model.__tablename__ for model in ALL_TABLES}:
        raise StoreError(f"line {number}: unknown table {table!r}")
    return str(table)


def _safe(url: str) -> str:
    """The URL without its password."""
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, user = head.partition("://")
    return f"{scheme}://{user.split(':')[0]}:***@{tail}"
