"""End-to-end tests in a real headless browser (Debian chromium + chromedriver, selenium).

They open a brief written to disk and drive the web app as a person would:
upload articles, open the story, expand a claim, follow a mention to the
highlighted sentence. Article text is hostile: a title that would set
``document.title`` if any of it ran as markup. Skipped when chromium,
chromedriver or selenium are missing (``scripts/ensure-browser`` installs
them). Screenshots go to ``$NEWSTRACE_SCREENSHOTS`` (default: the test's
temporary folder).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"
PWNED = "pwned"
HOSTILE_TITLE = f"<img src=x onerror=\"document.title='{PWNED}'\"> Port reopens"
HOSTILE = (
    "---\noutlet: Evil <b>Outlet</b>\n---\n"
    f"{HOSTILE_TITLE}\n\n"
    f"The port <script>document.title='{PWNED}'</script> reopened on Monday, officials said.\n\n"
    '"It is safe <img src=y onerror=alert(1)>," a senior official said.\n'
)

webdriver = pytest.importorskip("selenium.webdriver")
if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
    pytest.skip(
        "chromium/chromedriver missing: run scripts/ensure-browser", allow_module_level=True
    )

from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("NEWSTRACE_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--window-size=1300,1400",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _settings():  # type: ignore[no-untyped-def]
    from newstrace import Settings

    fast = {"paraphrase": False, "story_embeddings": False, "story_entities": False}
    return replace(Settings(), **{k: v for k, v in fast.items() if hasattr(Settings(), k)})


def _no_script_ran(driver) -> None:  # type: ignore[no-untyped-def]
    assert driver.title != PWNED  # the hostile title may show as text, never run
    assert not driver.find_elements(By.CSS_SELECTOR, "img[src=x], img[src=y], main script")


def test_brief_in_browser(browser, shots: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from newstrace.report import render_html
    from tests.test_report import make_brief

    brief = make_brief()  # hand-built: a wire, its copies and a hostile article
    hostile = replace(brief.articles[3], title=HOSTILE_TITLE)
    brief = replace(brief, articles=(*brief.articles[:3], hostile))
    page = tmp_path / "brief.html"
    page.write_text(render_html(brief), encoding="utf-8")
    browser.get(page.as_uri())
    _no_script_ran(browser)
    assert browser.find_element(By.CSS_SELECTOR, "svg.graph")
    assert HOSTILE_TITLE in browser.find_element(By.ID, "articles").text  # shown as text
    browser.save_screenshot(str(shots / "brief.png"))
    claim = browser.find_element(By.CSS_SELECTOR, "details.claim")
    claim.find_element(By.CSS_SELECTOR, "summary .cnum").click()
    assert claim.get_attribute("open") is not None
    assert claim.find_element(By.CSS_SELECTOR, "ol.chains li").is_displayed()
    mention = claim.find_element(By.CSS_SELECTOR, "ul.mentions a.plain")
    target = mention.get_attribute("href").split("#", 1)[1]
    mention.click()
    WebDriverWait(browser, 5).until(
        lambda d: d.execute_script("return location.hash") == f"#{target}"
    )
    marked = browser.find_element(By.ID, target)
    assert marked.is_displayed()
    _no_script_ran(browser)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    import uvicorn

    from newstrace.web import WebConfig, create_app

    data = tmp_path_factory.mktemp("projects")
    app = create_app(_settings(), config=WebConfig(data_dir=data))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def _state(driver) -> str:  # type: ignore[no-untyped-def]
    """The ingest panel's state, or "" while the page is being reloaded."""
    try:
        return driver.find_element(By.ID, "message").get_attribute("data-state") or ""
    except WebDriverException:  # no such element, stale element, page not loaded yet
        return ""


def test_app_in_browser(browser, server, shots: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, app = server
    browser.get(url + "/")
    browser.find_element(By.ID, "name").send_keys("e2e")
    browser.find_element(By.CSS_SELECTOR, "form[action='/projects'] button").click()
    WebDriverWait(browser, 5).until(lambda d: d.current_url.endswith("/projects/e2e"))
    browser.save_screenshot(str(shots / "app-empty.png"))
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    files = [EXAMPLES / "01_npa_wire.txt", EXAMPLES / "02_gazette_syndicated.txt", hostile, broken]
    browser.find_element(By.NAME, "files").send_keys("\n".join(str(f) for f in files))
    with app.state.projects.writing("e2e"):  # another ingest holds the project: the job waits
        browser.find_element(By.CSS_SELECTOR, "form[action$='/upload'] button").click()
        WebDriverWait(browser, 10).until(lambda d: _state(d) == "queued")
        assert "Waiting" in browser.find_element(By.ID, "message").text
        time.sleep(1.5)  # the page refreshes itself meanwhile, still waiting
        assert _state(browser) == "queued"
    WebDriverWait(browser, 60, poll_frequency=0.2).until(lambda d: _state(d) != "queued")
    if _state(browser) == "running":
        browser.save_screenshot(str(shots / "app-progress.png"))
    WebDriverWait(browser, 120).until(lambda d: _state(d) == "done")  # reached by meta refresh
    message = browser.find_element(By.ID, "message")
    assert "3 added" in message.text and "1 skipped" in message.text
    assert "broken.json: invalid JSON" in message.text  # the skipped file, with its reason
    assert "clean" in message.text and "claims" in message.text  # the stages it went through
    _no_script_ran(browser)
    time.sleep(1.5)
    assert _state(browser) == "done"  # no more refreshing once done
    browser.save_screenshot(str(shots / "app-project.png"))
    links = browser.find_elements(By.CSS_SELECTOR, "a.story-link")
    assert any("Port reopens" in link.text for link in links)
    next(link for link in links if "Crane" in link.text).click()
    WebDriverWait(browser, 5).until(lambda d: "/stories/" in d.current_url)
    _no_script_ran(browser)
    browser.save_screenshot(str(shots / "app-story.png"))
    browser.get(url + "/projects/e2e/search?q=reopened")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Port reopens").click()
    WebDriverWait(browser, 5).until(lambda d: "/articles/" in d.current_url)
    assert "<script>" in browser.find_element(By.ID, "text").text  # shown as text
    _no_script_ran(browser)
    browser.save_screenshot(str(shots / "app-article.png"))
    browser.get(url + "/docs")
    assert "/api/projects/{name}/jobs/{job_id}" in browser.find_element(By.TAG_NAME, "main").text
    browser.save_screenshot(str(shots / "app-docs.png"))
