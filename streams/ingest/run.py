"""One ingestion pass over feeds: parse, fetch pages when needed, publish what is new.

A poll that finds nothing new costs one small response per page or less: the feed is read
in full (a live blog grows under an unchanged feed, so the items are always looked at),
an item whose feed `updated` date has not moved is not requested at all, and a page is
asked for with its validators (ETag, Last-Modified): a 304 means unchanged.

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
    downloaded: int = 0  # feeds and pages whose body came over the wire (not a 304)


@dataclass
class Ingestor:
    """Reads feeds with a Fetcher and publishes new or grown items with `publish`."""

    fetcher: Fetcher
    publish: Publish
    state: SeenState

    async def _read(self, location: str, report: IngestReport) -> bytes:
        """The feed's bytes (from the web or a file)."""
        if urlsplit(location).scheme in ("http", "https"):
            report.downloaded += 1
            return await self.fetcher.get(location)
        try:
            return await asyncio.to_thread(Path(location).read_bytes)
        except OSError as exc:
            raise FetchError("unreadable_file", f"{location}: {exc.strerror}") from exc

    async def _page(
        self, item: FeedItem, report: IngestReport
    ) -> tuple[bytes | None, str | None, str | None]:
        """The item's HTML (the feed's, or fetched if changed), with the page's validators."""
        if item.content is not None:
            return item.content.encode(), None, None
        etag, modified = self.state.validators(item.url)
        fetched = await self.fetcher.fetch(item.url, etag, modified)
        if fetched.body is not None:
            report.downloaded += 1
        return fetched.body, fetched.etag, fetched.last_modified

    def _article(self, feed_source: str, item: FeedItem, html: bytes) -> RawArticle:
        raw = RawArticle(
            source=feed_source,
            content=html.decode("utf-8", errors="replace"),
            content_type="text/html",
            url=item.url,
            title=item.title,
            published_at=item.published_at,
        )
        return ensure_article_id(raw)

    async def run_once(self, feeds: Sequence[str]) -> IngestReport:
        """Read every feed once; a failing feed or item is reported and skipped."""
        report = IngestReport()
        for location in feeds:
            try:
                feed = parse_feed(await self._read(location, report), location)
            except NewsstreamError as exc:
                report.errors.append((location, exc.reason))
                continue
            source = feed.title or urlsplit(location).netloc or Path(location).stem
            for item in feed.items:
                await self._ingest_item(source, item, report)
        self.state.save()
        return report

    async def _ingest_item(self, source: str, item: FeedItem, report: IngestReport) -> None:
        date = item.updated_at.isoformat() if item.updated_at else None
        if date is not None and date == self.state.date(item.url):
            report.unchanged += 1  # the feed says the item has not changed: no request at all
            return
        try:
            html, etag, modified = await self._page(item, report)
        except NewsstreamError as exc:
            report.errors.append((item.url, exc.reason))
            return
        digest = self.state.changed(item.url, html) if html is not None else None
        if html is None or digest is None:
            report.unchanged += 1  # a 304, or the same bytes again
            self.state.record(item.url, etag=etag, modified=modified, date=date)
            return
        report.published += await self.publish([self._article(source, item, html)])
        self.state.record(item.url, digest, etag=etag, modified=modified, date=date)


def print_report(report: IngestReport) -> None:
    """One line of totals, then one line per failure, on stderr."""
    print(
        f"ingest: published {report.published}, unchanged {report.unchanged}, failed {len(report.errors)}"
        f" ({report.downloaded} downloaded)",
        file=sys.stderr,
    )
    for where, reason in report.errors:
        print(f"ingest: skipped {where}: {reason}", file=sys.stderr)
