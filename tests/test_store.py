"""The store, run against SQLite and a throw-away PostgreSQL cluster alike.

The PostgreSQL parameters start a cluster once per session (``initdb`` and
``pg_ctl`` as the ``postgres`` user when run as root) on a Unix socket in a
temporary folder, give each test a fresh database, and stop the cluster at
the end. They are skipped when PostgreSQL is not installed
(``scripts/ensure-postgres`` installs it).
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, event

import newstrace
from newstrace.errors import StoreError
from newstrace.model import Reuse
from newstrace.pipeline import analyze_articles, analyze_store, ingest_store
from newstrace.store import _records, migrate, open_store
from newstrace.store._codec import JSONText, decode_json, encode
from newstrace.store._tables import Base
from newstrace.store.base import store_url
from newstrace.store.sql import HEAD, MIGRATIONS, _driver_url

from .conftest import EXAMPLES, make_article

PG_BIN_DIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)


def _pg_tool(name: str) -> str | None:
    for folder in PG_BIN_DIRS:
        if os.access(os.path.join(folder, name), os.X_OK):
            return os.path.join(folder, name)
    return shutil.which(name)


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    return (
        [runuser, "-u", "postgres", "--", *command]
        if runuser
        else ["su", "postgres", "-c", " ".join(command)]
    )


@pytest.fixture(scope="session")
def postgres_cluster():
    """A running throw-away cluster: yields (socket folder, port)."""
    initdb, pg_ctl = _pg_tool("initdb"), _pg_tool("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL is not installed (run scripts/ensure-postgres)")
    folder = tempfile.mkdtemp(prefix="newstrace-pg-")
    data, port = os.path.join(folder, "data"), str(20000 + os.getpid() % 20000)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    try:
        subprocess.run(
            _as_postgres([initdb, "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]),
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off"
        subprocess.run(
            _as_postgres([pg_ctl, "-D", data, "-o", options, "-w", "-l", f"{folder}/log", "start"]),
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"cannot start a PostgreSQL cluster: {exc}")
    yield folder, port
    subprocess.run(_as_postgres([pg_ctl, "-D", data, "-m", "immediate", "stop"]), check=False)
    shutil.rmtree(folder, ignore_errors=True)


def _postgres_url(cluster: tuple[str, str]) -> str:
    folder, port = cluster
    name = "t" + uuid.uuid4().hex[:12]
    admin = create_engine(
        f"postgresql+psycopg://postgres@/postgres?host={folder}&port={port}",
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return f"postgresql://postgres@/{name}?host={folder}&port={port}"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """A URL of a fresh, empty store in each database."""
    if request.param == "sqlite":
        return str(tmp_path / "project.db")
    return _postgres_url(request.getfixturevalue("postgres_cluster"))


@pytest.fixture
def store(url):
    with open_store(url) as opened:
        yield opened


def test_adding_articles_is_idempotent_by_content_id(store):
    first = [make_article(f"Text number {i}.", article_id=f"a{i}") for i in range(5)]
    assert store.add_articles(first) == (5, 0)
    again = [*first[:3], make_article("Another.", article_id="b1"), first[0]]
    assert store.add_articles(again) == (1, 4)
    assert store.article_ids() == ("a0", "a1", "a2", "a3", "a4", "b1")
    assert store.articles() == (*first, again[3])
    assert store.articles(["a3", "a1"]) == (first[1], first[3])


def test_articles_keep_every_field(store, example_brief):
    article = replace(example_brief.articles[0], source_path="x/ü.txt")
    store.add_articles([article])
    assert store.articles() == (article,)


def test_brief_round_trip(store, example_brief):
    store.save_brief(example_brief)
    loaded = store.load_brief()
    assert loaded.to_json() == example_brief.to_json()
    assert loaded == example_brief
    store.save_brief(example_brief)  # replacing the analysis leaves no duplicates
    assert store.load_brief() == example_brief


def test_links_saved_with_their_encoded_data_are_stored_from_it(store, example_brief):
    first, second, third, *_ = example_brief.reuse
    stale = encode(replace(second, score=0.0))  # data that is not the link's shows up
    text = JSONText(json.dumps(encode(third)))
    store.save_brief(
        example_brief, encoded=[(first, encode(first)), (second, stale), (third, text)]
    )
    loaded = store.load_brief()
    assert loaded.reuse[0] == first
    assert loaded.reuse[1] == replace(second, score=0.0)
    assert loaded.reuse[2:] == example_brief.reuse[2:]


def test_saving_again_writes_only_the_reuse_records_not_stored_before(store, example_brief):
    store.save_brief(example_brief)
    written: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO REUSE_DATA"):
            written.append(len(parameters) if executemany else 1)

    changed = replace(example_brief.reuse[1], score=0.5)
    brief = replace(example_brief, reuse=(example_brief.reuse[0], changed))
    event.listen(store.engine, "before_cursor_execute", count)
    try:
        store.save_brief(brief)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert sum(written) == 1  # the changed link; the unchanged one is stored already
    assert store.load_brief() == brief
    with store.engine.connect() as conn:  # records no link names any more are gone
        assert conn.exec_driver_sql("SELECT count(*) FROM reuse_data").scalar() == 2


def test_pair_comparisons_come_back_as_json_text_of_their_key(store, example_brief):
    link = example_brief.reuse[0]
    store.cache_pairs(
        {("a", "b"): encode(link), ("a", "c"): None, ("b", "c"): encode(link)},
        keys={("a", "b"): "k1", ("a", "c"): "k1", ("b", "c"): "old"},
    )
    found = store.cached_pairs(keys={("a", "b"): "k1", ("a", "c"): "k1", ("b", "c"): "k1"})
    assert set(found) == {("a", "b"), ("a", "c")}  # ("b", "c") was made under another key
    assert decode_json(Reuse | None, found["a", "b"]) == link
    assert decode_json(Reuse | None, found["a", "c"]) is None


def test_brief_of_one_story(store, example_brief):
    store.save_brief(example_brief)
    story = example_brief.stories[0]
    part = store.load_brief(story.id[:7])
    assert part.stories == (story,)
    assert {a.id for a in part.articles} == set(story.article_ids)
    assert part.claims == tuple(c for c in example_brief.claims if c.story_id == story.id)
    with pytest.raises(StoreError):
        store.load_brief("no-such-story")


def test_empty_store_has_no_brief(store):
    assert store.stories() == ()
    with pytest.raises(StoreError, match="no analysis"):
        store.load_brief()


def test_export_and_import_a_whole_project(store, url, tmp_path, example_brief):
    store.add_articles([make_article("Only in the store.", article_id="extra")])
    store.save_brief(example_brief)
    out = io.StringIO()
    count = store.export_jsonl(out)
    assert count == len(out.getvalue().splitlines())
    with open_store(tmp_path / "copy.db") as copy:
        assert copy.import_jsonl(out.getvalue().splitlines()) == (13, 0)
        assert copy.load_brief() == example_brief
        assert copy.article_ids() == store.article_ids()
        again = io.StringIO()
        copy.export_jsonl(again)
        assert again.getvalue() == out.getvalue()
        assert copy.import_jsonl(out.getvalue().splitlines()) == (0, 13)


def test_an_export_made_before_reuse_data_existed_still_imports(store, example_brief):
    store.save_brief(example_brief)
    out = io.StringIO()
    store.export_jsonl(out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    records = {d["row"]["key"]: d["row"]["data"] for d in lines if d["table"] == "reuse_data"}
    old = []
    for line in lines:  # the format of older exports: each reuse row carries its data
        if line["table"] == "reuse":
            line["row"]["data"] = records[line["row"].pop("data_key")]
        if line["table"] != "reuse_data":
            old.append(json.dumps(line))
    with open_store("sqlite://") as copy:
        copy.import_jsonl(old)
        assert copy.load_brief() == example_brief


def test_import_rejects_lines_it_does_not_know(store):
    with pytest.raises(StoreError, match="line 2"):
        store.import_jsonl(['{"table": "meta", "row": {"key": "k", "value": "v"}}', "{oops"])
    with pytest.raises(StoreError, match="unknown table"):
        store.import_jsonl([json.dumps({"table": "users", "row": {}})])


def test_incremental_analysis_equals_a_full_one(store, example_brief):
    files = sorted(EXAMPLES.iterdir())
    assert ingest_store(store, files[:8]).added == 8
    first = analyze_store(store)
    assert len(first.new_articles) == 8 and first.changed_stories
    again = ingest_store(store, [EXAMPLES])
    assert (again.added, again.already_present, again.skipped) == (4, 8, ())
    second = analyze_store(store)
    assert second.brief.to_json() == example_brief.to_json()
    assert len(second.new_articles) == 4
    assert second.recomputed["clean"] == 4 and second.recomputed["attribution"] == 4
    # shingle signatures and lead entities of the 8 unchanged articles come from the store
    assert second.recomputed["signatures"] == 4 and second.recomputed["entities"] == 4
    assert store.load_brief() == second.brief
    third = analyze_store(store)
    assert third.recomputed == {} and third.changed_stories == ()
    assert third.brief == second.brief


def _report(topic: str, count: int) -> str:
    """``count`` sentences of made-up words of their own: ``topic`` picks the words."""

    def word(*parts: object) -> str:
        digest = hashlib.sha1(repr((topic, *parts)).encode()).hexdigest()
        return "".join(
            "bcdfglmnprstv"[int(c, 16) % 13] + "aeiou"[int(c, 16) % 5] for c in digest[:4]
        )

    return " ".join(
        f"{word(i, 0).title()} {word(i, 1)} said the {word(i, 2)} of {word(i, 3)} had "
        f"{word(i, 4)} {word(i, 5)} since {word(i, 6)}, {i + 3} {word(i, 7)} reported."
        for i in range(count)
    )


def test_an_update_keeps_the_pruning_of_groups_it_does_not_reach(store):
    """A group the update does not reach keeps what pruning kept last time;
    a group it reaches is pruned again; the result is that of a full analysis."""
    crane, vote = _report("crane", 8), _report("vote", 8)
    first = {
        "crane.txt": f"Crane\n{crane}",
        "crane-copy.txt": f"Crane copy\n{crane}",  # a copy of crane: its link to
        "crane-short.txt": f"Crane short\n{_report('crane', 5)}",  # crane-short is pruned
        "vote.txt": f"Vote\n{vote}",
        "vote-copy.txt": f"Vote copy\n{_report('vote', 6)}",
    }
    later = {
        "vote-more.txt": f"Vote more\n{vote} {_report('budget', 4)}",  # reaches the vote group
        "other.txt": f"Other\n{_report('harbour', 6)}",
    }
    settings = newstrace.Settings(paraphrase=False, story_embeddings=False)
    folder = Path(tempfile.mkdtemp())
    for name, text in {**first, **later}.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest_store(store, [folder / name for name in first])
    before = analyze_store(store, settings=settings).brief
    assert len(before.reuse) == 3  # crane-copy - crane-short was pruned
    ingest_store(store, [folder / name for name in later])
    update = analyze_store(store, settings=settings)
    full = analyze_articles(store.articles(), settings=settings)
    assert update.brief.reuse == full.reuse
    assert update.brief.stories == full.stories
    assert update.recomputed["reuse"] == 2  # vote-more with vote and vote-copy
    shutil.rmtree(folder)


def test_changed_settings_recompute_everything(tmp_path):
    texts = [
        "Harbour crane falls\nA crane fell at the harbour on Monday, officials said.",
        "Crane collapse\nA crane fell at the harbour on Monday, officials said. Nobody died.",
        "Budget vote\nThe council voted on the budget for the coming year on Tuesday.",
    ]
    (tmp_path / "in").mkdir()
    for i, text in enumerate(texts):
        (tmp_path / "in" / f"{i}.txt").write_text(text, encoding="utf-8")
    settings = newstrace.Settings(paraphrase=False)
    with open_store(tmp_path / "p.db") as store:
        ingest_store(store, [tmp_path / "in"])
        assert analyze_store(store, settings=settings).recomputed["clean"] == 3
        assert analyze_store(store, settings=settings).recomputed == {}
        other = analyze_store(store, settings=replace(settings, claim_similarity=0.5))
        assert other.recomputed["clean"] == 3 and other.recomputed["segment"] == 3


def test_a_new_template_line_recleans_only_the_articles_that_carry_it(tmp_path):
    footer = "Subscribe to the Harbour Gazette for more local news."
    stories = ["crane falls at the pier", "ferry delayed by fog", "market opens early",
               "school roof repaired", "bridge closed for works"]  # fmt: skip
    for i, story in enumerate(stories):
        text = f"---\noutlet: Harbour Gazette\n---\nTitle {i}\nReporters said the {story}.\n"
        if i >= 2:  # the footer becomes a template line once 3 gazette articles carry it
            text += footer + "\n"
        folder = tmp_path / ("one" if i < 4 else "two")
        folder.mkdir(exist_ok=True)
        folder.joinpath(f"{i}.txt").write_text(text, encoding="utf-8")
    settings = newstrace.Settings(paraphrase=False, story_embeddings=False, story_entities=False)
    with open_store(tmp_path / "p.db") as store:
        ingest_store(store, [tmp_path / "one"])
        assert analyze_store(store, settings=settings).recomputed["clean"] == 4
        ingest_store(store, [tmp_path / "two"])
        second = analyze_store(store, settings=settings)
        # the new article and articles 2-3, whose footer is now removed; not articles 0-1
        assert second.recomputed["clean"] == 3
        assert all(footer not in a.text for a in second.brief.articles)
        full = analyze_articles(store.articles(), settings=settings)
        assert second.brief.to_json() == full.to_json()


def test_stores_open_at_the_latest_migration(url):
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD
    store = open_store(url)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == HEAD
        assert compare_metadata(context, Base.metadata) == []
    store.close()


def test_a_store_at_an_older_revision_is_upgraded_on_open(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0001")
    engine.dispose()
    with open_store(tmp_path / "old.db") as store:
        store.add_vectors({"k": b"\x00\x01"})
        assert store.vectors(["k", "missing"]) == {"k": b"\x00\x01"}


def test_links_stored_before_the_reuse_data_table_are_kept_by_the_upgrade(url, example_brief):
    engine = create_engine(_driver_url(store_url(url)))
    migrate(engine, "0003")
    rows = _records.brief_rows(example_brief)
    records = {row["key"]: row["data"] for row in rows.pop("reuse_data")}
    for row in rows["reuse"]:  # as revision 0003 stored them
        row["data"] = json.loads(records[row.pop("data_key")])
    tables = MetaData()
    tables.reflect(engine)
    with engine.begin() as conn:
        articles = [_records.article_row(a) for a in example_brief.articles]
        conn.execute(tables.tables["article"].insert(), articles)
        for name, table_rows in rows.items():
            if table_rows:
                conn.execute(tables.tables[name].insert(), table_rows)
    engine.dispose()
    with open_store(url) as store:
        loaded = store.load_brief()  # (sentences are saved by save_brief, not here)
        assert (loaded.reuse, loaded.stories) == (example_brief.reuse, example_brief.stories)
        store.save_brief(example_brief)  # the upgraded rows are those a save makes
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM reuse_data").scalar() == len(records)


def test_vectors_round_trip_and_travel_with_the_export(store, tmp_path):
    store.add_vectors({"a": b"\x00" * 8, "b": b"\xff" * 4})
    store.add_vectors({"a": b"\x01" * 8})  # already stored: kept as it was
    assert store.vectors(["a", "b"]) == {"a": b"\x00" * 8, "b": b"\xff" * 4}
    out = io.StringIO()
    store.export_jsonl(out)
    with open_store(tmp_path / "copy.db") as copy:
        copy.import_jsonl(out.getvalue().splitlines())
        assert copy.vectors(["a", "b"]) == store.vectors(["a", "b"])


def test_bad_url_is_a_store_error():
    with pytest.raises(StoreError):
        open_store("nosuchdb://nowhere/x")


def test_sqlite_path_may_be_given_without_scheme(tmp_path):
    with open_store(tmp_path / "sub" / "p.db") as store:
        assert store.url.startswith("sqlite:///")
    assert (tmp_path / "sub" / "p.db").exists()
    assert Path(tmp_path / "sub" / "p.db").stat().st_size > 0


def test_stored_json_that_msgspec_refuses_is_still_read(example_brief):
    link = example_brief.reuse[0]
    data = encode(link) | {"kind": "an older kind", "score": float("nan")}
    found = decode_json(Reuse | None, json.dumps(data))  # NaN: not strict JSON
    assert found.kind == "an older kind" and found.score != found.score
    assert decode_json(Reuse | None, json.dumps(encode(link))) == link


def test_multilingual_vectors_are_stored_and_read_back_by_the_next_analysis(tmp_path):
    german = Path(__file__).parent / "data" / "reuse_de"  # a wire, its rewrite, an own report
    (tmp_path / "later.txt").write_text(
        "Budget vote\nThe council of Alderby voted on the budget on Tuesday.", encoding="utf-8"
    )
    with open_store(tmp_path / "p.db") as store:
        ingest_store(store, [german])
        first = analyze_store(store)
        (link,) = first.brief.reuse
        assert link.paraphrase_model == "multilingual-e5-small (4-bit)"
        assert first.recomputed["multilingual_embeddings"] >= len(link.paraphrases)
        ingest_store(store, [tmp_path / "later.txt"])
        second = analyze_store(store)
        assert second.brief.reuse == first.brief.reuse
        assert "multilingual_embeddings" not in second.recomputed  # read from the store
