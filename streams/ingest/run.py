"""One ingestion pass over feeds: parse, fetch pages when needed, publish what is new.

Example:
    >>> async def once(publish):  # doctest: +SKIP
    ...     async with Fetcher() as fetcher:
    ...         return await Ingestor(fetcher, publish, SeenState(None)).run_once(["feed.xml"])
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from schemas.messages import RawArticle
from streams.errors import NewsstreamError
from streams.ingest.feeds import FeedItem, parse_feed
from streams.ingest.fetch import Fetcher, FetchError
from streams.ingest.state import SeenState
from streams.split import ensure_article_id

Publish = Callable[[Sequence[RawArticle]], Awaitable[int]]


@dataclass
class IngestReport:
    """What one pass did."""

    published: int = 0
    unchanged: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (feed or url, reason)


@dataclass
class Ingestor:
    """Reads feeds with a Fetcher and publishes new or grown items with `publish`."""

    fetcher: Fetcher
    publish: Publish
    state: SeenState

    async def _read(self, location: str) -> bytes:
        if urlsplit(location).scheme in ("http", "https"):
            return await self.fetcher.get(location)
        try:
            return await asyncio.to_thread(Path(location).read_bytes)
        except OSError as exc:
            raise FetchError("unreadable_file", f"{location}: {exc.strerror}") from exc

    async def _article(self, feed_source: str, item: FeedItem) -> tuple[RawArticle, bytes]:
        html = item.content.encode() if item.content is not None else await self.fetcher.get(item.url)
        raw = RawArticle(
            source=feed_source,
            content=html.decode("utf-8", errors="replace"),
            content_type="text/html",
            url=item.url,
            title=item.title,
            published_at=item.published_at,
        )
        return ensure_article_id(raw), html

    async def run_once(self, feeds: Sequence[str]) -> IngestReport:
        """Read every feed once; a failing feed or item is reported and skipped."""
        report = IngestReport()
        for location in feeds:
            try:
                feed = parse_feed(await self._read(location), location)
            except NewsstreamError as exc:
                report.errors.append((location, exc.reason))
                continue
            source = feed.title or urlsplit(location).netloc or Path(location).stem
            for item in feed.items:
                await self._ingest_item(source, item, report)
        self.state.save()
        return report

    async def _ingest_item(self, source: str, item: FeedItem, report: IngestReport) -> None:
        try:
            raw, body = await self._article(source, item)
        except NewsstreamError as exc:
            report.errors.append((item.url, exc.reason))
            return
        digest = self.state.changed(item.url, body)
        if digest is None:
            report.unchanged += 1
            return
        report.published += await self.publish([raw])
        self.state.record(item.url, digest)


def print_report(report: IngestReport) -> None:
    """One line of totals, then one line per failure, on stderr."""
    print(
        f"ingest: published {report.published}, unchanged {report.unchanged}, failed {len(report.errors)}",
        file=sys.stderr,
    )
    for where, reason in report.errors:
        print(f"ingest: skipped {where}: {reason}", file=sys.stderr)
