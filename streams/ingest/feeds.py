"""Parsing RSS 2.0 and Atom feeds (feedparser) into items with or without full content.

Example:
    >>> feed = parse_feed(b'<rss version="2.0"><channel><title>T</title><item><title>A</title>'
    ...                   b'<link>https://n.test/a</link></item></channel></rss>', "https://n.test/rss")
    >>> feed.title, [(i.title, i.url, i.content) for i in feed.items]
    ('T', [('A', 'https://n.test/a', None)])
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from streams.errors import DeadLetterError

# Feed bodies shorter than this are summaries, not the article: fetch the page instead.
_FULL_CONTENT_CHARS = 600


class FeedError(DeadLetterError):
    """A feed that cannot be read (malformed XML, not a feed)."""


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: its link, and its full content when the feed carries it."""

    url: str
    title: str | None
    published_at: datetime | None
    content: str | None  # HTML of the whole article, or None: fetch `url`
    guid: str | None
    # When the feed says the item last changed (Atom `updated`): only an explicit update
    # date counts, since a live blog grows under an unchanged publication date.
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Feed:
    """A parsed feed."""

    title: str | None
    items: list[FeedItem]


def _when(entry: Any, *keys: str) -> datetime | None:
    parsed = next((entry.get(key) for key in keys if entry.get(key)), None)
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _content(entry: Any) -> str | None:
    blocks = entry.get("content") or []
    text = max((b.get("value", "") for b in blocks), key=len, default="")
    return text if len(text) >= _FULL_CONTENT_CHARS else None


def parse_feed(data: bytes, location: str) -> Feed:
    """Items of an RSS or Atom document; FeedError when it is not a readable feed."""
    parsed = feedparser.parse(data)
    items = [
        FeedItem(
            url=entry.get("link", ""),
            title=entry.get("title"),
            published_at=_when(entry, "published_parsed", "updated_parsed"),
            content=_content(entry),
            guid=entry.get("id"),
            updated_at=_when(entry, "updated_parsed"),
        )
        for entry in parsed.entries
        if entry.get("link")
    ]
    if parsed.get("bozo") and not items:
        # feedparser salvages what it can; broken XML with nothing usable is a malformed feed
        error = parsed.get("bozo_exception")
        raise FeedError("malformed_feed", f"{location}: {type(error).__name__ if error else 'not a feed'}")
    if not parsed.get("version") and not items:
        raise FeedError("not_a_feed", f"{location}: no RSS or Atom items")
    return Feed(title=parsed.feed.get("title"), items=items)
