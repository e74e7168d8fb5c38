"""Tests for the web app (``newstrace.web``) through FastAPI's TestClient."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newstrace import Settings
from newstrace.schema import validate
from newstrace.web import WebConfig, create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"
HOSTILE_TITLE = "<img src=x onerror=\"document.title='pwned'\">"
HOSTILE = (
    f"---\noutlet: <b>Evil</b> & Co\n---\n{HOSTILE_TITLE}\n\n"
    "The minister <script>document.title='pwned'</script> said the port would reopen on Monday.\n"
)


# The web app's own behaviour does not depend on the embedding models: skip them for speed.
FAST = {"paraphrase": False, "story_embeddings": False, "story_entities": False}


def _settings() -> Settings:
    known = {k: v for k, v in FAST.items() if hasattr(Settings(), k)}
    return replace(Settings(), **known)


def _client(tmp: Path, **limits: object) -> TestClient:
    config = WebConfig(data_dir=tmp, **limits)  # type: ignore[arg-type]
    return TestClient(create_app(_settings(), config=config))


def _upload(client: TestClient, project: str, files: list[tuple[str, bytes]]):  # type: ignore[no-untyped-def]
    parts = [("files", (name, data, "text/plain")) for name, data in files]
    return client.post(f"/projects/{project}/upload", files=parts)


def _finished(client: TestClient, page):  # type: ignore[no-untyped-def]
    """Reload the page as the browser's meta refresh would, until the ingest is over."""
    deadline = time.monotonic() + 120
    while 'http-equiv="refresh"' in page.text:
        assert time.monotonic() < deadline, "the ingest never finished"
        time.sleep(0.2)
        page = client.get(str(page.url))
    return page


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, Path]:
    """A project ``demo`` holding the analyzed example corpus."""
    data = tmp_path_factory.mktemp("projects")
    client = _client(data)
    assert (
        client.post("/projects", data={"name": "demo"}, follow_redirects=False).status_code == 303
    )
    names = ("01_npa_wire.txt", "02_gazette_syndicated.txt")
    corpus = [(n, (EXAMPLES / n).read_bytes()) for n in (*names, "12_unrelated_alderby_budget.txt")]
    page = _finished(client, _upload(client, "demo", [*corpus, ("hostile.txt", HOSTILE.encode())]))
    assert page.status_code == 200, page.text
    assert 'data-state="done"' in page.text and "4 added" in page.text
    return client, data


def test_home_lists_projects(served: tuple[TestClient, Path]) -> None:
    client, _ = served
    page = client.get("/")
    assert page.status_code == 200 and 'href="/projects/demo"' in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # no script allowed
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_project_page_lists_stories(served: tuple[TestClient, Path]) -> None:
    client, _ = served
    page = client.get("/projects/demo")
    assert page.status_code == 200
    assert "Crane collapse at Vessmark port" in page.text
    assert len(re.findall(r'class="story-link"', page.text)) >= 2


def test_story_brief_claim_and_article_pages(served: tuple[TestClient, Path]) -> None:
    client, _ = served
    stories = client.get("/api/projects/demo/stories").json()
    crane = next(s for s in stories if "Crane" in s["title"])
    brief = client.get(f"/projects/demo/stories/{crane['id']}")
    assert brief.status_code == 200 and "Independent origins" in brief.text
    assert 'href="/projects/demo"' in brief.text  # back to the project
    doc = client.get("/api/projects/demo/brief", params={"story": crane["id"]}).json()
    validate(doc)
    claim = doc["claims"][0]
    page = client.get(f"/projects/demo/claims/{claim['id']}")
    assert page.status_code == 200 and "Chains" in page.text
    links = re.findall(r'href="(/projects/demo/articles/[^"#]+)#([^"]+)"', page.text)
    assert links
    for href, mark in links[:3]:
        article = client.get(href)
        assert article.status_code == 200 and f'id="{mark}"' in article.text
    assert '<mark class="quote"' in article.text


def test_search_pages_and_api(served: tuple[TestClient, Path]) -> None:
    client, _ = served
    page = client.get("/projects/demo/search", params={"q": "crane"})
    assert page.status_code == 200 and "/projects/demo/claims/" in page.text
    found = client.get("/api/projects/demo/search", params={"q": "Okafor"}).json()
    assert found["articles"] and found["claims"]
    assert client.get("/api/projects/demo/search", params={"q": "zzzz-nothing"}).json() == {
        "articles": [],
        "claims": [],
    }


def test_hostile_article_is_escaped_everywhere(served: tuple[TestClient, Path]) -> None:
    client, _ = served
    found = client.get("/api/projects/demo/search", params={"q": "minister"}).json()
    href = found["articles"][0]["href"]
    pages = [
        client.get(href).text,
        client.get("/projects/demo/search", params={"q": "minister <script>"}).text,
        client.get("/projects/demo").text,
    ]
    stories = client.get("/api/projects/demo/stories").json()
    pages += [client.get(f"/projects/demo/stories/{s['id']}").text for s in stories]
    for html in pages:
        assert "<script" not in html.lower()
        assert "<img src=x" not in html
        assert "<b>Evil</b>" not in html
    assert "&lt;script&gt;" in pages[0] and "&lt;img src=x" in pages[0]


def test_api_projects_and_openapi(tmp_path: Path) -> None:
    client = _client(tmp_path)
    assert client.post("/api/projects", params={"name": "p1"}).status_code == 201
    assert client.get("/api/projects").json() == [{"name": "p1", "articles": 0, "stories": 0}]
    added = client.post(
        "/api/projects/p1/text", json={"text": "Port reopens\n\nThe port reopened."}
    )
    assert added.status_code == 200 and added.json()["added"] == 1
    assert client.get("/api/projects/p1").json()["articles"] == 1
    files = [("files", ("a.md", b"Title A\n\nSome text about a port.", "text/markdown"))]
    assert client.post("/api/projects/p1/files", files=files).json()["articles"] == 2
    schema = client.get("/openapi.json").json()
    for path in (
        "/api/projects",
        "/api/projects/{name}",
        "/api/projects/{name}/files",
        "/api/projects/{name}/text",
        "/api/projects/{name}/stories",
        "/api/projects/{name}/brief",
        "/api/projects/{name}/search",
    ):
        assert path in schema["paths"]
    assert not re.search(r"https?://", client.get("/openapi.json").text)


def test_api_docs_work_offline(tmp_path: Path) -> None:
    client = _client(tmp_path)
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert not re.search(r"(src|href)=\"?(https?:)?//", docs.text)  # nothing from a CDN
    assert (
        "<script" not in docs.text
        and "default-src 'none'" in docs.headers["content-security-policy"]
    )
    schema = client.get("/openapi.json").json()
    for path, item in schema["paths"].items():  # every operation is on the page, with its schemas
        for method in item:
            assert f"{method.upper()}</span> <code>{path}</code>" in docs.text
    assert 'href="#schema-JobInfo"' in docs.text and 'id="schema-JobInfo"' in docs.text
    assert "<code>file</code>" in docs.text  # the upload's parts
    assert client.get("/redoc").status_code == 404


def test_bad_names_and_missing_projects(tmp_path: Path) -> None:
    client = _client(tmp_path)
    for name in ("..", "a/../b", "Upper", "x" * 80, "%2e%2e"):
        assert client.post("/api/projects", params={"name": name}).status_code in (404, 422)
    assert client.get("/projects/nope").status_code == 404
    assert client.get("/api/projects/nope/stories").status_code == 404
    missing = client.get("/projects/%3Cx%3E")
    assert missing.status_code == 404 and "<x>" not in missing.text
    client.post("/api/projects", params={"name": "empty"})
    assert client.get("/api/projects/empty/brief").status_code == 404
    assert client.get("/projects/empty/claims/whatever").status_code == 404
    assert not [p for p in tmp_path.iterdir() if p.name != "empty"]


def test_uploads_cannot_escape_the_project(tmp_path: Path) -> None:
    client = _client(tmp_path)
    client.post("/api/projects", params={"name": "p"})
    names = ["../../evil.txt", "..\\..\\evil2.txt", "/etc/evil3.txt", "<script>x</script>.txt"]
    page = _upload(client, "p", [(n, b"Title\n\nA port story " + n.encode()) for n in names])
    page = _finished(client, page)
    assert page.status_code == 200 and "4 added" in page.text
    uploads = tmp_path / "p" / "uploads"
    saved = sorted(p.name for p in uploads.iterdir())
    assert len(saved) == 4 and all(re.fullmatch(r"\d{4}-[A-Za-z0-9._-]+", n) for n in saved)
    everything = {p.resolve() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.is_relative_to((tmp_path / "p").resolve()) for p in everything)
    assert "<script>x" not in page.text


def test_upload_limits_and_types(tmp_path: Path) -> None:
    client = _client(tmp_path, max_upload_bytes=100, max_files=2)
    client.post("/api/projects", params={"name": "p"})
    big = _upload(client, "p", [("big.txt", b"x" * 101)])
    assert big.status_code == 400 and "larger than 100 bytes" in big.text
    many = _upload(client, "p", [(f"{i}.txt", b"Title\n\ntext") for i in range(3)])
    assert "too many files" in many.text
    odd = _upload(client, "p", [("tool.exe", b"MZ")])
    assert "unsupported file type" in odd.text
    api = client.post("/api/projects/p/files", files=[("files", ("big.txt", b"x" * 101))])
    assert api.status_code == 413
    assert not list((tmp_path / "p" / "uploads").iterdir())


def test_urls_are_not_fetched_unless_enabled(tmp_path: Path) -> None:
    client = _client(tmp_path)
    client.post("/api/projects", params={"name": "p"})
    page = client.post("/projects/p/paste", data={"urls": "http://127.0.0.1/secret"})
    assert "fetching URLs is disabled" in page.text
    assert client.get("/api/projects/p").json()["articles"] == 0


def test_paste_text_and_empty_paste(tmp_path: Path) -> None:
    client = _client(tmp_path)
    client.post("/projects", data={"name": "p"})
    ok = client.post("/projects/p/paste", data={"title": "Port news", "text": "The port opened."})
    ok = _finished(client, ok)
    assert "1 added" in ok.text
    assert "empty" in client.post("/projects/p/paste", data={"text": "  "}).text


def test_several_projects_at_once(tmp_path: Path) -> None:
    client = _client(tmp_path)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            client.post("/api/projects", params={"name": name})
            for i in range(1):
                body = {"text": f"{name} story {i}\n\nThe {name} port reopened on day {i}."}
                assert client.post(f"/api/projects/{name}/text", json=body).status_code == 200
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"p{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [p["articles"] for p in client.get("/api/projects").json()] == [1, 1, 1]


def test_upload_is_analyzed_in_the_background_with_progress(tmp_path: Path) -> None:
    client = _client(tmp_path)
    client.post("/api/projects", params={"name": "p"})
    files = [("a.txt", b"Port reopens\n\nThe port reopened on Monday."), ("bad.json", b"{nope")]
    with client.app.state.projects.writing("p"):  # another ingest holds the project
        page = _upload(client, "p", files)
        assert page.status_code == 200 and 'http-equiv="refresh"' in page.text
        assert 'data-state="queued"' in page.text and "Waiting" in page.text
        assert '<li class="todo">claims</li>' in page.text  # the stages still to come
        job = re.search(r"job=(\w+)", str(page.url)).group(1)  # type: ignore[union-attr]
        assert client.get(f"/api/projects/p/jobs/{job}").json()["state"] == "queued"
        plain = client.get("/projects/p")  # the project page follows running jobs too
        assert 'http-equiv="refresh"' in plain.text and 'data-state="queued"' in plain.text
    page = _finished(client, page)
    assert 'data-state="done"' in page.text and "1 added" in page.text
    assert re.search(r"skipped bad\.json: invalid JSON", page.text)
    status = client.get(f"/api/projects/p/jobs/{job}").json()
    assert status["state"] == "done" and status["report"]["added"] == 1
    stages = {s["stage"]: (s["done"], s["total"]) for s in status["stages"]}
    assert stages["read"] == (2, 2) and stages["ingest"] == (1, 1)
    assert {"clean", "segment", "claims"} <= stages.keys()
    assert status["skipped"] == status["report"]["skipped"] and len(status["skipped"]) == 1
    assert 'http-equiv="refresh"' not in client.get("/projects/p").text
    assert client.get("/api/projects/p/jobs/nope").status_code == 404
    assert client.get("/projects/p", params={"job": "nope"}).status_code == 404


def test_api_upload_in_the_background(tmp_path: Path) -> None:
    client = _client(tmp_path)
    client.post("/api/projects", params={"name": "p"})
    files = [("files", ("a.md", b"Title A\n\nSome text about a port.", "text/markdown"))]
    started = client.post("/api/projects/p/files", params={"background": True}, files=files)
    assert started.status_code == 202 and started.json()["state"] in ("queued", "running")
    deadline = time.monotonic() + 60
    while (job := client.get(f"/api/projects/p/jobs/{started.json()['id']}").json())["state"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["state"] == "done" and job["report"]["articles"] == 1
    assert [j["id"] for j in client.get("/api/projects/p/jobs").json()] == [job["id"]]


def test_a_failing_ingest_ends_with_a_one_line_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(tmp_path)
    client.post("/api/projects", params={"name": "p"})
    projects = client.app.state.projects

    def broken(name: str, paths: list[str], **_: object) -> None:
        raise RuntimeError("disk full\nwith a second line")

    monkeypatch.setattr(projects, "ingest", broken)
    page = _finished(client, _upload(client, "p", [("a.txt", b"Title\n\nText.")]))
    assert 'data-state="failed"' in page.text
    assert "analysis failed: RuntimeError: disk full" in page.text
    assert "second line" not in page.text and "Traceback" not in page.text
    assert client.get("/api/projects/p/jobs").json()[0]["state"] == "failed"


def test_a_story_brief_is_fresh_after_more_articles_arrive(tmp_path: Path) -> None:
    client = _client(tmp_path)
    client.post("/api/projects", params={"name": "p"})
    text = b"Ferry aground at Tessa Point\n\nThe ferry ran aground at dawn, the coastguard said."
    _finished(client, _upload(client, "p", [("a.txt", text)]))

    def story_brief(story_id: str):  # type: ignore[no-untyped-def]
        return client.get("/api/projects/p/brief", params={"story": story_id})

    (first,) = client.get("/api/projects/p/stories").json()
    assert len(story_brief(first["id"]).json()["articles"]) == 1  # now in the app's cache
    copy = text.replace(b"Ferry aground", b"Ferry stuck") + b"\n\nMore later."
    _finished(client, _upload(client, "p", [("b.txt", copy)]))
    (story,) = client.get("/api/projects/p/stories").json()
    assert len(story_brief(story["id"]).json()["articles"]) == 2
    if story["id"] != first["id"]:  # the old story is gone, not served from the cache
        assert story_brief(first["id"]).status_code == 404
