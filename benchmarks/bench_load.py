"""Load: concurrent clients browse ``newstrace serve`` while an ingest runs.

Usage: python benchmarks/bench_load.py [--clients 50] [--seconds 60] [--fast]

Starts ``newstrace serve`` on 127.0.0.1 (a free port, a temporary data
folder), creates a project and uploads the bundled example corpus. Then, for
``--seconds``, ``--clients`` concurrent clients (httpx, async) each loop over
the pages a reader opens (home, project, a story's brief, an article, a
claim, search) and the JSON API (stories, the brief, one story's brief,
search): first alone for ``--baseline`` seconds, then while one more
client uploads generated articles (three files per request, each upload
analyzed at once by the server) until the time is up.
Prints requests per second, p50/p95/p99 latency, errors (any answer but 2xx,
or no answer within 60 s; a GET whose reused keep-alive connection the server
had just closed is retried once, as browsers do, and counted apart) and
whether every uploaded article is in the store and in the analysis at the
end (nothing lost). Exit status 1 on any error or loss.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
PROJECT = "load"
FAST = "[newstrace]\nparaphrase = false\nstory_embeddings = false\nstory_entities = false\n"
PER_UPLOAD = 3
WORDS = (
    "ferry harbour council budget bridge school hospital market union storm flood court "
    "rail tunnel library museum airport reservoir inspection contract repair delay"
).split()


@dataclass
class Stats:
    """Latencies of the browsing requests, errors, and what the ingest did."""

    latencies: list[float] = field(default_factory=list)
    by_url: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    uploads: int = 0
    uploaded: int = 0
    added: int = 0
    upload_seconds: list[float] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, config: Path | None) -> tuple[subprocess.Popen, str]:
    """``newstrace serve`` in a subprocess, with its default host; its base URL once it answers."""
    port = free_port()
    args = [sys.executable, "-m", "newstrace", "serve", "--data-dir", str(data_dir)]
    args += ["--port", str(port)] + (["--config", str(config)] if config else [])
    log = data_dir.parent / "serve.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(base + "/api/projects", timeout=5).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("serve did not answer within 120 s")


def article_files(count: int, seed: int = 5) -> list[tuple[str, bytes]]:
    """``count`` short generated articles (text written here), as upload files."""
    rng = random.Random(seed)
    files = []
    for i in range(count):
        place = rng.choice(WORDS).capitalize()
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
            for _ in range(rng.randint(4, 9))
        ]
        quote = f'"The {rng.choice(WORDS)} will reopen in {i % 12 + 1} weeks," the mayor said.'
        text = f"{place} report number {i}\n" + " ".join(sentences) + f"\n{quote}\n"
        files.append((f"load{i:04d}.txt", text.encode("utf-8")))
    return files


async def seed(client: httpx.AsyncClient, count: int) -> list[str]:
    """Create the project, upload ``count`` files of the example corpus; the URLs the
    readers will open."""
    (await client.post("/api/projects", params={"name": PROJECT})).raise_for_status()
    paths = sorted(EXAMPLES.iterdir())[:count]
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
    (await client.post(f"/api/projects/{PROJECT}/files", files=files)).raise_for_status()
    brief = (await client.get(f"/api/projects/{PROJECT}/brief")).json()
    story = next(s["id"] for s in brief["stories"] if len(s["articles"]) > 1)
    article, claim = brief["articles"][0]["id"], brief["claims"][0]["id"]
    home = f"/projects/{PROJECT}"
    return [
        "/",
        home,
        f"{home}/stories/{story}",
        f"{home}/articles/{article}",
        f"{home}/claims/{claim}",
        f"{home}/search?q=crane",
        "/api/projects",
        f"/api/projects/{PROJECT}/stories",
        f"/api/projects/{PROJECT}/brief",
        f"/api/projects/{PROJECT}/brief?story={story}",
        f"/api/projects/{PROJECT}/search?q=port",
    ]


async def browse(
    client: httpx.AsyncClient, urls: list[str], until: float, stats: Stats, rng: random.Random
) -> None:
    """One reader: open random pages until ``until``."""
    while time.monotonic() < until:
        url = rng.choice(urls)
        started = time.perf_counter()
        try:
            try:
                response = await client.get(url)
            except (httpx.ReadError, httpx.RemoteProtocolError):
                # the server closed an idle keep-alive connection as it was reused:
                # retry once on a new one, as browsers do (counted, not hidden)
                stats.retries += 1
                response = await client.get(url)
            if response.status_code >= 300:
                stats.errors.append(f"{url}: HTTP {response.status_code}")
        except httpx.HTTPError as exc:
            stats.errors.append(f"{url}: {type(exc).__name__} {exc}")
        stats.latencies.append(time.perf_counter() - started)
        stats.by_url.setdefault(url, []).append(stats.latencies[-1])


async def ingest(
    client: httpx.AsyncClient, files: list[tuple[str, bytes]], until: float, stats: Stats
) -> None:
    """Upload ``PER_UPLOAD`` files per request until the time is up (or the files run out)."""
    for start in range(0, len(files), PER_UPLOAD):
        if time.monotonic() >= until:
            return
        batch = files[start : start + PER_UPLOAD]
        parts = [("files", (name, data, "text/plain")) for name, data in batch]
        started = time.perf_counter()
        try:
            response = await client.post(f"/api/projects/{PROJECT}/files", files=parts)
        except httpx.HTTPError as exc:
            stats.errors.append(f"upload: {type(exc).__name__} {exc}")
            continue
        stats.upload_seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            stats.errors.append(f"upload: HTTP {response.status_code} {response.text[:200]}")
            continue
        report = response.json()
        stats.uploads += 1
        stats.uploaded += len(batch)
        stats.added += report["added"]
        if report["skipped"] or report["added"] + report["already_present"] != len(batch):
            stats.errors.append(f"upload: unexpected report {report}")


async def readers(
    client: httpx.AsyncClient, urls: list[str], clients: int, seconds: float, *extra: object
) -> tuple[Stats, float]:
    """``clients`` readers for ``seconds`` (with the ``extra`` coroutines alongside)."""
    stats = Stats()
    rngs = [random.Random(1000 + i) for i in range(clients)]
    started = time.monotonic()
    until = started + seconds
    tasks = [browse(client, urls, until, stats, rng) for rng in rngs]
    tasks += [job(until, stats) for job in extra]  # type: ignore[operator]
    await asyncio.gather(*tasks)
    return stats, time.monotonic() - started


def figures(stats: Stats, elapsed: float) -> dict:
    latencies = sorted(stats.latencies)

    def pct(share: float) -> float | None:
        return round(1000 * latencies[int(share * (len(latencies) - 1))], 1) if latencies else None

    return {
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": len(stats.errors),
        "error_examples": stats.errors[:5],
        "keep_alive_retries": stats.retries,
        "median_ms_by_url": {
            url: round(1000 * statistics.median(times), 1) for url, times in stats.by_url.items()
        },
    }


async def load(
    base: str, *, clients: int, seconds: float, baseline: float, seed_files: int
) -> dict:
    """Seed; readers alone (the baseline), then readers and the ingest together."""
    limits = httpx.Limits(max_connections=clients + 2)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        urls = await seed(client, seed_files)
        before = (await client.get(f"/api/projects/{PROJECT}")).json()["articles"]
        idle, idle_time = await readers(client, urls, clients, baseline)
        files = article_files(3000)
        busy, busy_time = await readers(
            client, urls, clients, seconds, lambda until, stats: ingest(client, files, until, stats)
        )
        project = (await client.get(f"/api/projects/{PROJECT}")).json()
        brief = (await client.get(f"/api/projects/{PROJECT}/brief")).json()
    expected = before + busy.added
    result = {"clients": clients, "baseline (no ingest)": figures(idle, idle_time)}
    result["during ingest"] = figures(busy, busy_time)
    result["ingest"] = {
        "uploads": busy.uploads,
        "articles_uploaded": busy.uploaded,
        "articles_added": busy.added,
        "upload_mean_s": round(statistics.fmean(busy.upload_seconds), 2)
        if busy.upload_seconds
        else None,
        "stored_articles": project["articles"],
        "expected_articles": expected,
        "analyzed_articles": len(brief["articles"]),
        "nothing_lost": project["articles"] == expected == len(brief["articles"])
        and busy.added == busy.uploaded,
    }
    result["errors"] = idle.errors.__len__() + len(busy.errors)
    return result


def run(
    *, clients: int, seconds: float, fast: bool, baseline: float = 15, seed_files: int = 12
) -> dict:
    """Serve a temporary data folder and load it; the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        config = None
        if fast:
            config = Path(tmp, "fast.toml")
            config.write_text(FAST, encoding="utf-8")
        process, base = start_server(Path(tmp, "projects"), config)
        try:
            return asyncio.run(
                load(
                    base,
                    clients=clients,
                    seconds=seconds,
                    baseline=baseline,
                    seed_files=seed_files,
                )
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline", type=float, default=15, help="seconds of readers alone")
    parser.add_argument("--fast", action="store_true", help="no embeddings (quicker analyses)")
    args = parser.parse_args()
    found = run(clients=args.clients, seconds=args.seconds, fast=args.fast, baseline=args.baseline)
    for key, value in found.items():
        print(f"{key}: {value}")
    idle, busy = found["baseline (no ingest)"], found["during ingest"]
    ratio = busy["requests_per_second"] / max(idle["requests_per_second"], 0.1)
    print(f"requests/s during ingest / baseline: {ratio:.2f}")
    if found["errors"] or not found["ingest"]["nothing_lost"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
