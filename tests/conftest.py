"""Shared fixtures: the bundled example corpus, the shared real corpus, a tiny corpus."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from newstrace import Article, Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
TRUTH = ROOT / "examples" / "truth.json"
SHARED = ROOT.parent / "shared"
ROME = SHARED / "corpus" / "rome-2022"


def make_article(text: str, *, article_id: str = "a", **metadata: str) -> Article:
    """An article whose raw and cleaned text are both ``text``."""
    return Article(
        id=article_id,
        source_path=f"{article_id}.txt",
        raw_text=text,
        text=text,
        kept=((0, 0, len(text)),),
        **metadata,
    )


@pytest.fixture
def settings() -> Settings:
    return Settings(seed=1)


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_brief():
    import newstrace

    return newstrace.analyze([EXAMPLES])


@pytest.fixture(scope="session")
def rome_dir() -> Path:
    if not ROME.is_dir():
        pytest.skip("../shared/corpus/rome-2022 is not present")
    return ROME


@pytest.fixture(scope="session")
def rome_brief(rome_dir):
    import newstrace

    return newstrace.analyze([rome_dir])


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """newstrace never reaches the network during analysis: fail any attempt."""

    def guard(*args, **kwargs):
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", guard)
