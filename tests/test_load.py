"""Load: ``newstrace serve`` answers concurrent readers while an ingest runs.

A short version of ``benchmarks/bench_load.py`` (which runs 50 clients for 60
s): 10 clients for 5 s against a real server on 127.0.0.1, one upload after
another alongside. Every request must succeed and every uploaded article
must be stored and analyzed.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

REAL_CONNECT = socket.create_connection


@pytest.fixture
def loopback(no_network, monkeypatch) -> None:
    """The offline guard is lifted: the clients talk to the local server."""
    monkeypatch.setattr(socket, "create_connection", REAL_CONNECT)


def test_readers_during_an_ingest_get_no_errors_and_nothing_is_lost(loopback) -> None:
    from bench_load import run

    found = run(clients=10, seconds=5, fast=True, baseline=1, seed_files=3)
    busy, ingest = found["during ingest"], found["ingest"]
    assert found["errors"] == 0, busy["error_examples"]
    assert busy["requests"] >= 10
    assert ingest["uploads"] >= 1
    assert ingest["nothing_lost"], ingest
    assert ingest["stored_articles"] == 3 + ingest["articles_uploaded"]
