import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.schema import validate

from .conftest import EXAMPLES

runner = CliRunner()


def test_analyze_writes_every_requested_format(tmp_path):
    html, data, md = tmp_path / "b.html", tmp_path / "b.json", tmp_path / "b.md"
    result = runner.invoke(
        app, ["analyze", str(EXAMPLES), "-o", str(html), "-o", str(data), "-o", str(md)]
    )
    assert result.exit_code == 0, result.output
    validate(json.loads(data.read_text(encoding="utf-8")))
    assert html.read_text(encoding="utf-8").lower().startswith("<!doctype html>")
    assert "|" in md.read_text(encoding="utf-8")
    assert "12 articles" in result.output
    assert "independent" in result.output


def test_format_option_without_output_writes_to_stdout(tmp_path):
    (tmp_path / "a.txt").write_text("Title\nOne plain sentence of news.", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--format", "json", "--quiet"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["schema_version"] == "1"


def test_skipped_files_are_named_and_set_exit_code_one(tmp_path):
    (tmp_path / "good.txt").write_text("Title\nA sentence of news.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "b.json"
    result = runner.invoke(app, ["analyze", str(tmp_path), "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output
    assert len(json.loads(out.read_text())["articles"]) == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["analyze", "x.txt", "--format", "pdf"],
        ["analyze", "x.txt", "-o", "brief.docx"],
        ["analyze"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_with_two(arguments):
    assert runner.invoke(app, arguments).exit_code == 2


def test_bad_settings_file_is_a_usage_error(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[newstrace]\nno_such_setting = 3\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--config", str(config)])
    assert result.exit_code == 2
    assert "no_such_setting" in result.output


@pytest.mark.parametrize("command", [[], ["analyze"]])
def test_help_explains_each_command(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    if command:
        assert "Example:" in result.output and "--format" in result.output


def test_python_dash_m_runs_the_cli(tmp_path):
    (tmp_path / "a.txt").write_text("Title\nA sentence of news here.", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "newstrace", "analyze", str(tmp_path), "-f", "md", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("#")
    assert completed.stderr == ""
