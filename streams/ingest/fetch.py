"""Polite HTTP fetching: timeouts, retries with backoff, a User-Agent, robots.txt, a minimum
interval between requests to the same host, and conditional requests (ETag and
Last-Modified in, 304 Not Modified out) so that an unchanged page costs one small response.

Example:
    >>> async def page():  # doctest: +SKIP
    ...     async with Fetcher() as fetcher:
    ...         return await fetcher.get("https://example.org/")
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from streams import __version__
from streams.errors import DeadLetterError, RetriableError

USER_AGENT = f"newsstream/{__version__} (+https://github.com/newsstream/newsstream)"


class FetchError(DeadLetterError):
    """A page or feed that could not be fetched (status, timeout, robots.txt)."""


@dataclass(frozen=True)
class Fetched:
    """What a request gave: the body (None when the server said 304 Not Modified) and validators."""

    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None


class Fetcher:
    """An httpx client with per-host pacing, robots.txt and retries."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        per_host_interval: float = 1.0,
        respect_robots: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.retries = retries
        self.backoff = backoff
        self.per_host_interval = per_host_interval
        self.respect_robots = respect_robots
        self._client = httpx.AsyncClient(
            timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}, transport=transport
        )
        self._last: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._robots: dict[str, RobotFileParser | None] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._client.aclose()

    async def _pace(self, host: str) -> None:
        """Wait so that requests to one host are at least `per_host_interval` apart."""
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._last.get(host, 0.0) + self.per_host_interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last[host] = time.monotonic()

    async def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            parser: RobotFileParser | None = None
            try:
                await self._pace(parts.netloc)
                resp = await self._client.get(f"{host}/robots.txt")
                if resp.status_code == 200:
                    parser = RobotFileParser()
                    parser.parse(resp.text.splitlines())
            except httpx.HTTPError:
                parser = None  # no robots.txt reachable: allowed, as crawlers treat it
            self._robots[host] = parser
        robots = self._robots[host]
        return robots is None or robots.can_fetch(USER_AGENT, url)

    async def get(self, url: str) -> bytes:
        """The body of `url`; FetchError with a reason when it cannot be had."""
        fetched = await self.fetch(url)
        return fetched.body or b""

    async def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """`url`, asked for only if it changed since the validators given (304: `body` None)."""
        if self.respect_robots and urlsplit(url).scheme in ("http", "https") and not await self._allowed(url):
            raise FetchError("robots_disallowed", url)
        headers = {
            name: value
            for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified))
            if value
        }
        host = urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            await self._pace(host)
            try:
                resp = await self._client.get(url, headers=headers)
            except httpx.TimeoutException as exc:
                error: Exception = FetchError("timeout", url)
                cause: Exception = exc
            except httpx.HTTPError as exc:
                error, cause = FetchError("unreachable", f"{url}: {type(exc).__name__}"), exc
            else:
                if resp.status_code == 304:
                    return Fetched(None, etag, last_modified)
                if resp.status_code < 400:
                    return Fetched(resp.content, resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
                if resp.status_code < 500 and resp.status_code != 429:
                    raise FetchError(f"http_{resp.status_code}", url)
                error, cause = RetriableError(f"http_{resp.status_code}", url), RuntimeError(url)
            if attempt < self.retries:
                await asyncio.sleep(self.backoff * 2**attempt)
        raise FetchError(getattr(error, "reason", "unreachable"), url) from cause
