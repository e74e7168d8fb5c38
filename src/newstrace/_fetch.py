"""Fetch article URLs with httpx: bounded, polite and refusing private hosts.

Every request has a timeout (``Settings.fetch_timeout``) and a size cap
(``Settings.max_fetch_bytes``, checked while streaming). At most
``Settings.fetch_concurrency`` requests run at once, and one host gets one
request at a time. Redirects are followed by hand (at most 5) so that every
hop is checked: a URL whose host resolves to a loopback, private, link-local
or reserved address is refused unless ``Settings.allow_private_urls`` is set
(a guard against server-side request forgery; it checks resolution at request
time and does not defend against DNS rebinding between check and connect).
Failures become ``FetchError`` with a one-line reason.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from .config import Settings
from .errors import FetchError

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5
USER_AGENT = "newstrace (+https://github.com/newstrace; fact-checking research)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """The body of a fetched URL, the final URL after redirects, its content type."""

    url: str
    final_url: str
    content: bytes
    content_type: str


def is_url(value: str) -> bool:
    """Whether an input names an ``http(s)`` URL rather than a path."""
    return value.lower().startswith(("http://", "https://"))


def fetch_all(urls: Sequence[str], *, settings: Settings) -> list[Fetched | FetchError]:
    """Fetch ``urls`` concurrently; each result is the body or the error, in order."""
    if not urls:
        return []
    import httpx  # only when there is something to fetch

    host_locks = {_host(url): threading.Lock() for url in urls}
    limits = httpx.Limits(max_connections=settings.fetch_concurrency)
    with (
        httpx.Client(
            timeout=settings.fetch_timeout,
            limits=limits,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        ) as client,
        ThreadPoolExecutor(max_workers=max(1, settings.fetch_concurrency)) as pool,
    ):

        def one(url: str) -> Fetched | FetchError:
            with host_locks[_host(url)]:
                try:
                    return fetch(url, client=client, settings=settings)
                except FetchError as exc:
                    return exc
                except Exception as exc:  # one bad URL must not stop the batch
                    return FetchError(f"fetch failed: {type(exc).__name__}: {exc}", source=url)

        return list(pool.map(one, urls))


def fetch(url: str, *, client: httpx.Client, settings: Settings) -> Fetched:
    """Fetch one URL, following redirects hop by hop (``FetchError`` on failure)."""
    import httpx

    current = url
    for _ in range(MAX_REDIRECTS + 1):
        check_host(current, source=url, settings=settings)
        try:
            with client.stream("GET", current) as response:
                if response.is_redirect and "location" in response.headers:
                    current = urljoin(current, response.headers["location"])
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code}", source=url)
                body = _read_capped(response, url, settings.max_fetch_bytes)
                kind = response.headers.get("content-type", "")
                return Fetched(url=url, final_url=current, content=body, content_type=kind)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out after {settings.fetch_timeout:g} s", source=url) from exc
        except httpx.ConnectError as exc:
            raise FetchError(f"cannot connect (offline or host down?): {exc}", source=url) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"fetch failed: {type(exc).__name__}: {exc}", source=url) from exc
    raise FetchError(f"more than {MAX_REDIRECTS} redirects", source=url)


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _read_capped(response: httpx.Response, url: str, cap: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise FetchError(f"response too large ({int(declared):,} bytes)", source=url)
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > cap:
            raise FetchError(f"response too large (over {cap:,} bytes)", source=url)
        chunks.append(chunk)
    return b"".join(chunks)


def check_host(url: str, *, source: str, settings: Settings) -> None:
    """Refuse non-HTTP URLs and, unless allowed, hosts on private addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}", source=source)
    if settings.allow_private_urls:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {parts.hostname} (offline?)", source=source) from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise FetchError(
                f"refused: {parts.hostname} is a private address ({address}); "
                "set allow_private_urls to fetch it",
                source=source,
            )
