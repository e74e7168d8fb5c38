"""The store commands: ingest, analyze --db, report, export and import."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from newstrace.cli import app

from .conftest import EXAMPLES

runner = CliRunner()


def test_ingest_is_idempotent_and_names_skipped_inputs(tmp_path):
    db = str(tmp_path / "p.db")
    first = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db])
    assert first.exit_code == 0, first.output
    assert "12 added · 0 already present · 0 skipped" in first.output
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "in" / "new.txt").write_text("Title\nA new sentence of news.", encoding="utf-8")
    again = runner.invoke(app, ["ingest", str(EXAMPLES), str(tmp_path / "in"), "--db", db])
    assert again.exit_code == 1
    assert "empty.txt: empty file" in again.output
    assert "1 added · 12 already present · 1 skipped" in again.output


def test_analyze_db_then_report_export_and_import(tmp_path, example_brief):
    db, brief = str(tmp_path / "p.db"), tmp_path / "brief.json"
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--db", db, "-o", str(brief)])
    assert result.exit_code == 0, result.output
    assert "12 added" in result.output and "2 stories new or changed" in result.output
    assert json.loads(brief.read_text()) == json.loads(example_brief.to_json())
    again = runner.invoke(app, ["analyze", "--db", db, "-q", "--format", "json"])
    assert again.exit_code == 0 and json.loads(again.stdout) == json.loads(brief.read_text())

    story = example_brief.stories[0]
    page = tmp_path / "story.html"
    result = runner.invoke(app, ["report", story.id[:6], "--db", db, "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert story.title.split()[0] in page.read_text(encoding="utf-8")

    export = tmp_path / "project.jsonl"
    assert runner.invoke(app, ["export", "--db", db, "-o", str(export)]).exit_code == 0
    copy = str(tmp_path / "copy.db")
    result = runner.invoke(app, ["import", str(export), "--db", copy])
    assert result.exit_code == 0 and "12 added" in result.output
    result = runner.invoke(app, ["report", "--db", copy, "--format", "json"])
    assert json.loads(result.stdout) == json.loads(brief.read_text())


def test_store_errors_exit_with_one(tmp_path):
    db = str(tmp_path / "p.db")
    assert runner.invoke(app, ["report", "--db", db]).exit_code == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(bad), "--db", db])
    assert result.exit_code == 1 and "line 1" in result.output
    assert runner.invoke(app, ["import", str(tmp_path / "missing.jsonl"), "--db", db]).exit_code
    assert runner.invoke(app, ["ingest", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["report", "--db", db, "--format", "pdf"]).exit_code == 2
