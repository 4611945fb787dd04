"""HTML pages to what the splitter reads: live-blog posts straight from the markup, or lines.

Live blogs come from schema.org `LiveBlogPosting` JSON-LD (`liveBlogUpdate`), or from
post containers (`<article>` blocks with `<time>`) read as lines; other pages go
through trafilatura for the main text.

Example:
    >>> html_to_lines("<h1>Title</h1><nav>Home</nav><p>First <b>para</b>.</p><p>Second.</p>")
    ['Title', 'First para.', 'Second.']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import trafilatura

# Elements whose text is never article text.
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "footer",
        "aside",
        "form",
        "button",
        "svg",
        "iframe",
        "select",
        "figure",
    }
)
# Elements that end a line.
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "br",
        "tr",
        "blockquote",
        "time",
        "figcaption",
        "dd",
        "dt",
        "pre",
        "table",
        "title",
    }
)
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "source", "wbr"})
# Class names publishers give live-blog post containers.
_POST_CLASSES = (
    "block",
    "live-post",
    "liveblog-post",
    "live-blog-post",
    "post",
    "update",
    "live-update",
    "lb-post",
    "timeline-item",
    "live-story-post",
)
_LIVE_MIN_BLOCKS = 2


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.jsonld: list[str] = []
        self.title: str | None = None
        self.post_blocks = 0
        self.time_tags = 0
        self._parts: list[str] = []
        self._skip_depth = 0
        self._in_head = False
        self._in_title = False
        self._in_jsonld = False

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.lines.append(text)
        self._parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "head":
            self._in_head = True
        elif tag == "title":
            self._in_title = True
        elif tag == "script" and (attr.get("type") or "").lower() == "application/ld+json":
            self._in_jsonld = True
        elif tag == "time":
            self.time_tags += 1
        classes = (attr.get("class") or "").lower().split()
        if tag == "article" or any(c in _POST_CLASSES for c in classes):
            self.post_blocks += 1
        if tag in _SKIP and tag not in _VOID:
            self._skip_depth += 1
        if tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif tag == "title":
            self._in_title = False
        elif tag == "script":
            self._in_jsonld = False
        if tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)
        elif self._in_title and self.title is None:
            self.title = " ".join(data.split()) or None
        elif not self._skip_depth and not self._in_head:
            self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


@dataclass(frozen=True)
class Post:
    """A live-blog post read from structured data."""

    headline: str | None
    body: list[str]
    time_label: str | None
    published_at: datetime | None


@dataclass
class Page:
    """What an HTML page gives the splitter: posts, or lines of text and a title."""

    title: str | None
    lines: list[str] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    published_at: datetime | None = None


def html_to_lines(html: str) -> list[str]:
    """Visible text of an HTML page, one block per line, in document order."""
    return _collect(html).lines


def _collect(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _nodes(data: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object, through lists and `@graph`."""
    if isinstance(data, list):
        return [n for item in data for n in _nodes(item)]
    if isinstance(data, dict):
        return [data, *_nodes(data.get("@graph", []))]
    return []


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    return set(kind) if isinstance(kind, list) else {str(kind)}


def _liveblog_posts(scripts: list[str]) -> tuple[str | None, list[Post]]:
    for script in scripts:
        try:
            data = json.loads(script)
        except ValueError:
            continue  # broken JSON-LD is common; the page text is still read
        for node in _nodes(data):
            if "LiveBlogPosting" not in _types(node):
                continue
            updates = node.get("liveBlogUpdate") or []
            posts = [
                _post(u) for u in (updates if isinstance(updates, list) else [updates]) if isinstance(u, dict)
            ]
            posts = [p for p in posts if p.body]
            if posts:
                headline = node.get("headline")
                return (headline if isinstance(headline, str) else None), posts
    return None, []


def _post(update: dict[str, Any]) -> Post:
    body = update.get("articleBody") or update.get("text") or ""
    lines = [" ".join(line.split()) for line in str(body).splitlines()]
    headline = update.get("headline")
    published = update.get("datePublished")
    return Post(
        headline=" ".join(headline.split()) if isinstance(headline, str) and headline.strip() else None,
        body=[line for line in lines if line],
        time_label=published if isinstance(published, str) else None,
        published_at=_iso(published),
    )


def read_html(html: str) -> Page:
    """Read a page: JSON-LD live-blog posts, else post containers as lines, else trafilatura."""
    collected = _collect(html)
    title, posts = _liveblog_posts(collected.jsonld)
    if posts:
        return Page(title=title or collected.title, posts=posts)
    if collected.post_blocks >= _LIVE_MIN_BLOCKS or collected.time_tags >= _LIVE_MIN_BLOCKS:
        return Page(title=None, lines=collected.lines)  # the first line (h1) is the title
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if not text:
        return Page(title=None, lines=collected.lines)
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta is not None else None) or collected.title
    published = _iso(meta.date) if meta is not None else None
    lines = [line for line in text.splitlines() if line.strip()]
    return Page(title=title, lines=lines, published_at=published)
