"""Take the README's screenshots: the example brief and the web app.

Analyzes ``examples/corpus`` (fiction written for this project), writes its
brief, serves the web app on a free local port with a fresh project, uploads
the same corpus through the page and waits for the analysis, then saves
``docs/brief.png`` (the top of the brief: verdict and provenance graph) and
``docs/app.png`` (the project page after the upload). Needs Debian's
``chromium`` and ``chromium-driver`` (``scripts/ensure-browser``)::

    PYTHONPATH=src python docs/screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from newstrace.pipeline import analyze
from newstrace.report import render_html
from newstrace.web import WebConfig, create_app

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"


def _browser(width: int, height: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def _state(driver: webdriver.Chrome) -> str:
    try:
        return driver.find_element(By.ID, "message").get_attribute("data-state") or ""
    except WebDriverException:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(render_html(analyze([str(CORPUS)])), encoding="utf-8")
        app = create_app(config=WebConfig(data_dir=Path(tmp) / "projects"))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
        driver = _browser(1280, 1050)
        try:
            driver.get(page.as_uri())
            driver.save_screenshot(str(args.out / "brief.png"))
            driver.get(url + "/")
            driver.find_element(By.ID, "name").send_keys("port-crane")
            driver.find_element(By.CSS_SELECTOR, "form[action='/projects'] button").click()
            driver.find_element(By.NAME, "files").send_keys("\n".join(str(f) for f in files))
            driver.find_element(By.CSS_SELECTOR, "form[action$='/upload'] button").click()
            WebDriverWait(driver, 600, poll_frequency=0.3).until(lambda d: _state(d) == "done")
            driver.save_screenshot(str(args.out / "app.png"))
        finally:
            driver.quit()
            server.should_exit = True
    sys.stdout.write(f"wrote {args.out / 'brief.png'} and {args.out / 'app.png'}\n")


if __name__ == "__main__":
    main()
