"""Tests for fetching URLs (``newstrace._fetch`` through ``ingest``), against a local server."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newstrace.config import Settings
from newstrace.ingest import ingest, read_url_list

REAL_CONNECT = socket.create_connection
DATA = Path(__file__).parent / "data" / "ingest"
PAGE = (DATA / "harbour_page.html").read_bytes()
FEED = (DATA / "harbour_feed.xml").read_bytes()


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {
        "/page": (200, "text/html; charset=utf-8", PAGE),
        "/feed": (200, "application/rss+xml", FEED),
        "/plain": (200, "text/plain", b"Headline\nA ferry ran aground, the coastguard said."),
        "/big": (200, "text/plain", b"x" * 5_000),
        "/missing": (404, "text/plain", b"not found"),
    }

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        status, kind, body = self.routes.get(self.path, (200, "text/plain", b"late"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the client may stop reading: the size cap at work

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(no_network, monkeypatch) -> Iterator[str]:
    """A local HTTP server; the offline guard is lifted for this test only."""
    monkeypatch.setattr(socket, "create_connection", REAL_CONNECT)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = Settings(allow_private_urls=True, fetch_timeout=0.5, max_fetch_bytes=4_000)


def test_urls_are_fetched_and_parsed_by_content_type(server: str):
    urls = [f"{server}/page", f"{server}/feed", f"{server}/plain", f"{server}/moved"]
    result = ingest(urls, settings=LOCAL)
    sources = [a.source_path for a in result.articles]
    assert sources == [urls[0], f"{urls[1]}#1", f"{urls[1]}#2", urls[2], urls[3]]
    page = result.articles[0]
    assert page.outlet == "Harbour Times" and "212 people" in page.raw_text
    assert result.articles[3].url == urls[2]
    assert result.skipped == ()


def test_fetch_failures_are_skipped_with_a_reason(server: str):
    urls = [f"{server}/missing", f"{server}/big", f"{server}/slow", f"{server}/plain"]
    result = ingest(urls, settings=LOCAL)
    reasons = {s.source.rsplit("/", 1)[1]: s.reason for s in result.skipped}
    assert reasons["missing"] == "HTTP 404"
    assert reasons["big"].startswith("response too large")
    assert reasons["slow"].startswith("timed out")
    assert [a.source_path for a in result.articles] == [urls[3]]


def test_private_addresses_are_refused_by_default(server: str):
    result = ingest([f"{server}/page"], settings=Settings(fetch_timeout=0.5))
    [skip] = result.skipped
    assert skip.reason.startswith("refused: 127.0.0.1 is a private address")
    assert result.articles == ()


def test_offline_gives_a_clear_message(server: str):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    result = ingest([f"http://127.0.0.1:{closed_port}/x"], settings=LOCAL)
    [skip] = result.skipped
    assert "cannot connect" in skip.reason or "offline" in skip.reason


def test_url_list_file(tmp_path: Path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# my list\nhttps://a.example/1\n\n  https://b.example/2  \n")
    assert read_url_list(listing) == ["https://a.example/1", "https://b.example/2"]


def test_cli_urls_file(server: str, tmp_path: Path, monkeypatch):
    from typer.testing import CliRunner

    from newstrace import cli
    from tests.test_ingest import ingest_and_clean_only

    monkeypatch.setattr(cli, "run_analysis", ingest_and_clean_only)
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{server}/plain\n{server}/missing\n")
    arguments = ["analyze", "--urls", str(listing), "--allow-private-urls", "-f", "json", "-q"]
    result = CliRunner().invoke(cli.app, arguments)
    assert result.exit_code == 1
    assert f"skipped {server}/missing: HTTP 404" in result.stderr
    refused = CliRunner().invoke(cli.app, ["analyze", "--urls", str(listing), "-q"])
    assert "private address" in refused.stderr
