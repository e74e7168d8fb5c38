"""Server-side request forgery: what the web app (and ingest) will fetch, and how.

No endpoint fetches a user-given URL unless the server was started with URL
ingest on (``WebConfig.allow_urls``); then every fetch has a timeout and a size
cap, and loopback, private, link-local and reserved addresses are refused,
also after a redirect, unless ``Settings.allow_private_urls`` says otherwise.
Uploaded feeds and pages never make the parser fetch what they name (external
XML entities). ``newstrace serve`` binds 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newstrace import Settings
from newstrace.ingest import ingest
from newstrace.web import WebConfig, create_app

from .test_web import _finished

REAL_CONNECT = socket.create_connection
FAST = {"paraphrase": False, "story_embeddings": False, "story_entities": False}
ARTICLE = b"Harbour reopens\nThe harbour reopened on Monday after the storm, officials said.\n"
PRIVATE = (
    "http://127.0.0.1/x",
    "http://localhost/x",
    "http://[::1]/x",
    "http://10.1.2.3/x",
    "http://192.168.0.1/x",
    "http://172.16.5.4/x",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://0.0.0.0/x",
    "http://[::ffff:127.0.0.1]/x",
    "http://2130706433/x",  # 127.0.0.1 as one number
)


class Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        Handler.hits.append(self.path)
        if self.path == "/slow":
            time.sleep(2.0)
        if self.path.startswith("/to-"):
            target = {"/to-metadata": "http://169.254.169.254/latest/meta-data/"}.get(
                self.path, f"http://127.0.0.1:{self.server.server_address[1]}/article"
            )
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        body = b"x" * 50_000 if self.path == "/huge" else ARTICLE
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        if self.path != "/huge":  # the cap must hold without a declared length too
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(no_network, monkeypatch) -> Iterator[str]:
    """A local HTTP server standing for an internal service; counts its hits."""
    monkeypatch.setattr(socket, "create_connection", REAL_CONNECT)
    Handler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _client(tmp: Path, *, allow_urls: bool, **settings: object) -> TestClient:
    chosen = replace(Settings(), **FAST, fetch_timeout=0.5, max_fetch_bytes=10_000, **settings)  # type: ignore[arg-type]
    app = create_app(chosen, config=WebConfig(data_dir=tmp, allow_urls=allow_urls))
    client = TestClient(app)
    client.post("/api/projects", params={"name": "p"})
    return client


def test_no_endpoint_takes_a_url_to_fetch(tmp_path: Path) -> None:
    schema = _client(tmp_path, allow_urls=False).get("/openapi.json").json()
    names = {
        p["name"].lower()
        for path in schema["paths"].values()
        for op in path.values()
        for p in op.get("parameters", [])
    }
    assert not names & {"url", "urls", "link", "href", "src", "fetch"}


def test_urls_are_refused_when_url_ingest_is_off(tmp_path: Path, server: str) -> None:
    client = _client(tmp_path, allow_urls=False)
    page = client.post("/projects/p/paste", data={"urls": f"{server}/article"})
    assert "fetching URLs is disabled" in page.text
    pasted = client.post("/api/projects/p/text", json={"text": f"{server}/article"})
    assert pasted.json()["added"] == 1  # pasted text stays text: nothing is fetched
    assert Handler.hits == []


def test_private_addresses_are_refused_through_the_app(tmp_path: Path, server: str) -> None:
    client = _client(tmp_path, allow_urls=True)
    urls = [f"{server}/article", f"{server}/to-metadata", *PRIVATE]
    page = _finished(client, client.post("/projects/p/paste", data={"urls": "\n".join(urls)}))
    assert page.status_code == 200
    assert Handler.hits == []  # not even the first hop of the redirect
    assert page.text.count("is a private address") == len(urls)
    assert client.get("/api/projects/p").json()["articles"] == 0


@pytest.fixture
def public_name(server: str, monkeypatch) -> str:
    """``public.test``: resolves to a global address for the guard, but is served locally."""
    import newstrace._fetch as fetch_module

    port = int(server.rsplit(":", 1)[1])

    def resolve(host: str, *args: object, **kwargs: object) -> list:
        if host == "public.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]
        return socket.getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    def connect(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        if address[0] == "public.test":
            address = ("127.0.0.1", address[1])
        return REAL_CONNECT(address, *args, **kwargs)  # type: ignore[arg-type]

    shim = SimpleNamespace(
        getaddrinfo=resolve, SOCK_STREAM=socket.SOCK_STREAM, gaierror=socket.gaierror
    )
    monkeypatch.setattr(fetch_module, "socket", shim)
    monkeypatch.setattr(socket, "create_connection", connect)
    return f"http://public.test:{port}"


def test_a_redirect_to_a_private_address_is_refused(tmp_path: Path, public_name: str) -> None:
    settings = replace(Settings(), fetch_timeout=0.5)
    result = ingest([f"{public_name}/article"], settings=settings)
    assert [a.source_path for a in result.articles] == [f"{public_name}/article"]
    Handler.hits = []
    for target in ("to-loopback", "to-metadata"):
        [skip] = ingest([f"{public_name}/{target}"], settings=settings).skipped
        assert "is a private address" in skip.reason
    assert Handler.hits == ["/to-loopback", "/to-metadata"]  # the next hops never reached
    client = _client(tmp_path, allow_urls=True)
    page = _finished(
        client, client.post("/projects/p/paste", data={"urls": f"{public_name}/to-loopback"})
    )
    assert "is a private address (127.0.0.1)" in page.text


def test_enabled_fetches_are_bounded_in_time_and_size(tmp_path: Path, server: str) -> None:
    client = _client(tmp_path, allow_urls=True, allow_private_urls=True)
    urls = [f"{server}/article", f"{server}/slow", f"{server}/huge"]
    started = time.perf_counter()
    page = _finished(client, client.post("/projects/p/paste", data={"urls": "\n".join(urls)}))
    assert time.perf_counter() - started < 30
    assert "1 added" in page.text
    assert "timed out after 0.5 s" in page.text
    assert "response too large (over 10,000 bytes)" in page.text


def test_uploaded_feeds_and_pages_fetch_nothing(tmp_path: Path, server: str) -> None:
    """External entities in an uploaded feed are neither fetched nor read."""
    feed = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY net SYSTEM "{server}/xxe">'
        '<!ENTITY file SYSTEM "file:///etc/hostname">]>\n<rss version="2.0"><channel>'
        "<title>Feed</title><item><title>Port</title><description>The port reopened "
        "&net; &file; on Monday, officials said.</description></item></channel></rss>"
    )
    client = _client(tmp_path, allow_urls=False)
    files = [("files", ("feed.xml", feed.encode(), "application/xml"))]
    assert client.post("/api/projects/p/files", files=files).status_code == 200
    assert Handler.hits == []
    brief = client.get("/api/projects/p/brief").json()
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    for article in brief["articles"]:
        assert not hostname or hostname not in (article["title"] + str(article))


def test_serve_binds_loopback_by_default(monkeypatch, tmp_path: Path) -> None:
    import uvicorn

    from newstrace.cli import app

    bound: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda _app, **kw: bound.update(kw))
    result = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert bound["host"] == "127.0.0.1"
