"""HTML pages to what the splitter reads, from one lxml parse: live-blog posts, or one article.

The decision is made from the page's own evidence, never from its address:

- schema.org `LiveBlogPosting` JSON-LD with its `liveBlogUpdate`s gives the posts;
- otherwise, repeated post containers are looked for: sibling blocks that each hold one
  timestamp (`<time>`, or an element whose class says time or date and whose text reads
  as one) and a paragraph of their own. Comment threads, teaser lists (mostly links) and
  blocks dated by day only are not posts. Enough of them, with clock times, make a live
  blog: two where the JSON-LD says `LiveBlogPosting` or, without JSON-LD, the title says
  live; six without JSON-LD otherwise; six and a live title where the page calls itself
  an article;
- any other page is one article: its main text as trafilatura extracts it from the same
  tree (comments left out), with the parts of a body cut apart by an ad put back
  (`streams.split.bodyparts`), its headline from the JSON-LD, `og:title` or `<h1>`.

Example:
    >>> page = read_html("<title>Storm</title><h1>Storm hits</h1><p>Rain fell on the coast all day long.</p>")
    >>> (page.kind, page.title, page.lines)
    ('article', 'Storm hits', ['Storm hits', 'Rain fell on the coast all day long.'])
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from streams.split.bodyparts import body_parts, rejoin
from streams.split.timestamps import TimeLine, parse_time_line

#: Elements whose text is never a post's text.
_NOT_TEXT = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "form", "button", "nav", "footer",
     "figure", "figcaption", "aside", "select", "video", "audio", "picture"}
)  # fmt: skip
#: Blocks read as one paragraph each inside a post.
_BLOCKS = frozenset({"p", "li", "blockquote", "pre", "h5", "h6", "dd", "td"})
_HEADINGS = ("h2", "h3", "h4", "h1")
_STAMP_CLASS = re.compile(r"(?:^|[-_])(?:time|timestamp|date|published|posted|updated)(?:[-_]|$)", re.I)
# Containers of reader comments and promotions: never posts, whatever their shape.
_NOT_POSTS = re.compile(
    r"comment|reply|replies|discussion|disqus|respond|related|recommend|promo|teaser", re.I
)
_WIDGETS = re.compile(
    r"share|social|newsletter|related|promo|advert|(?:^|[-_])ad(?:[-_]|$)|byline|caption", re.I
)
_LIVE_TITLE = re.compile(r"\b(live|as it happened|latest updates|minute[- ]by[- ]minute)\b", re.I)
_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}|\b\d+\s*(?:min(?:ute)?s?|hours?|hrs?)\s+ago\b", re.I)
_ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle"}
)
_MIN_POST_CHARS = 40
_MAX_LINK_SHARE = 0.5


@dataclass(frozen=True)
class Post:
    """A live-blog post read from the page."""

    headline: str | None
    body: list[str]
    time_label: str | None
    published_at: datetime | None


@dataclass
class Page:
    """What a page gives the splitter: live-blog posts, one article's text, or lines to segment.

    `kind` says which: `posts`, `article` (lines are the body of one article entry), or
    `lines` (plain text and unreadable pages: the segmenter decides).
    """

    title: str | None
    lines: list[str] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    published_at: datetime | None = None
    kind: Literal["posts", "article", "lines"] = "lines"


def read_html(html: str) -> Page:
    """Read a page once: JSON-LD live-blog posts, else repeated timestamped posts, else one article."""
    tree = _parse(html)
    if tree is None:
        return Page(title=None)
    nodes = _jsonld(tree)
    types = {t for node in nodes for t in _types(node)}
    title = _title(tree, nodes)
    published = _published(tree, nodes)
    headline, posts = _jsonld_posts(nodes)
    if posts:
        return Page(title=headline or title, posts=posts, published_at=published, kind="posts")
    posts = _stamped_posts(tree, published)
    if _is_live(posts, title, types):
        return Page(title=title, posts=posts, published_at=published, kind="posts")
    parts = body_parts(tree)  # before the extraction, which may prune the tree
    text = trafilatura.extract(tree, include_comments=False)
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    body = rejoin([line for line in lines if line], parts)
    return Page(title=title, lines=body, published_at=published, kind="article")


def html_to_lines(html: str) -> list[str]:
    """Visible text of an HTML page, one block per line, in document order."""
    tree = _parse(html)
    if tree is None:
        return []
    return [line for line in _text_lines(tree) if line]


def _parse(html: str) -> Any:
    """The page's tree, parsed as trafilatura parses it (comments and processing instructions
    dropped), so its extraction from our tree is what it extracts from the page."""
    if not html.strip():
        return None
    try:
        return load_html(html)
    except (etree.ParserError, ValueError):
        return None  # not HTML at all


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
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


def _jsonld(tree: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            out.extend(_nodes(json.loads(script.text or "")))
        except ValueError:
            continue  # broken JSON-LD is common; the page is still read
    return out


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    return {str(k) for k in kind} if isinstance(kind, list) else {str(kind)}


def _clean(text: Any) -> str | None:
    return " ".join(text.split()) or None if isinstance(text, str) else None


def _title(tree: Any, nodes: list[dict[str, Any]]) -> str | None:
    """The headline: JSON-LD `headline`, `og:title`, the first `<h1>`, then `<title>`."""
    for node in nodes:
        if _types(node) & (_ARTICLE_TYPES | {"LiveBlogPosting"}) and _clean(node.get("headline")):
            return _clean(node.get("headline"))
    og = tree.xpath("string(//meta[@property='og:title']/@content)")
    h1 = tree.find(".//h1")
    for candidate in (og, h1.text_content() if h1 is not None else None, tree.findtext(".//title")):
        if _clean(candidate):
            return _clean(candidate)
    return None


def _published(tree: Any, nodes: list[dict[str, Any]]) -> datetime | None:
    for node in nodes:
        stamp = _iso(node.get("datePublished"))
        if stamp is not None:
            return stamp
    return _iso(tree.xpath("string(//meta[@property='article:published_time']/@content)"))


def _jsonld_posts(nodes: list[dict[str, Any]]) -> tuple[str | None, list[Post]]:
    for node in nodes:
        if "LiveBlogPosting" not in _types(node):
            continue
        updates = node.get("liveBlogUpdate") or []
        updates = updates if isinstance(updates, list) else [updates]
        posts = [_update(u) for u in updates if isinstance(u, dict)]
        posts = [p for p in posts if p.body]
        if posts:
            return _clean(node.get("headline")), posts
    return None, []


def _update(update: dict[str, Any]) -> Post:
    body = update.get("articleBody") or update.get("text") or ""
    lines = [" ".join(line.split()) for line in str(body).splitlines()]
    published = update.get("datePublished")
    return Post(
        headline=_clean(update.get("headline")),
        body=[line for line in lines if line],
        time_label=published if isinstance(published, str) else None,
        published_at=_iso(published),
    )


# ---------------------------------------------------------------- posts in the markup


def _stamps(tree: Any) -> Iterator[tuple[Any, str, datetime | None]]:
    """Elements that are timestamps: `<time>`, or a short element whose class says time or date."""
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _NOT_TEXT:
            continue
        if element.tag == "time" or (_STAMP_CLASS.search(element.get("class") or "") and len(element) <= 2):
            text = " ".join(element.text_content().split())
            when = _iso(element.get("datetime") or element.get("data-timestamp"))
            if text and len(text) <= 60 and (when is not None or parse_time_line(text) is not None):
                yield element, text, when


def _stamped_posts(tree: Any, reference: datetime | None) -> list[Post]:
    """Posts from the largest group of sibling containers that each hold one timestamp."""
    stamps, lines = [], set()
    for element, text, when in _stamps(tree):
        line = _meta_line(element, text)
        if line not in lines:  # a second time in one line ("Updated 10:42") is the same post's
            lines.add(line)
            stamps.append((element, text, when))
    if len(stamps) < 2:
        return []
    inside: dict[Any, int] = defaultdict(int)
    for element, _, _ in stamps:
        for ancestor in element.iterancestors():
            inside[ancestor] += 1
    groups: dict[Any, list[tuple[Any, Any, str, datetime | None]]] = defaultdict(list)
    for element, text, when in stamps:
        box = element
        while box.getparent() is not None and inside[box.getparent()] == 1:
            box = box.getparent()
        if box.getparent() is not None and not _excluded(box):
            groups[box.getparent()].append((box, element, text, when))
    if not groups:
        return []
    best = max(groups.values(), key=len)
    posts = [_post(box, stamp, text, when, reference) for box, stamp, text, when in best]
    return [post for post in posts if post is not None]


def _meta_line(stamp: Any, text: str) -> Any:
    """The small element around a timestamp that holds only it and its neighbours (byline, update)."""
    box = stamp
    for _ in range(3):
        parent = box.getparent()
        if parent is None or len(parent.text_content()) > 3 * len(text) + 40:
            break
        box = parent
    return box


def _excluded(box: Any) -> bool:
    """A comment, a teaser or a promotion, by the names its markup gives it or its ancestors."""
    for element in (box, *box.iterancestors()):
        names = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('itemprop') or ''}"
        if names.strip() and _NOT_POSTS.search(names):
            return True
    return False


def _post(box: Any, stamp: Any, label: str, when: datetime | None, reference: datetime | None) -> Post | None:
    heading = next((h for tag in _HEADINGS for h in box.iter(tag)), None)
    headline = _clean(heading.text_content()) if heading is not None else None
    body = [line for line in _text_lines(box, skip={stamp, heading}) if line != headline]
    text = " ".join(body)
    links = sum(len(a.text_content()) for a in box.iter("a"))
    if len(text) < _MIN_POST_CHARS or links > _MAX_LINK_SHARE * max(1, len(text)):
        return None  # a teaser (mostly links) or a bare timestamp
    parsed = parse_time_line(label, reference)
    return Post(
        headline=headline,
        body=body,
        time_label=label,
        published_at=when or (parsed.published_at if isinstance(parsed, TimeLine) else None),
    )


def _text_lines(root: Any, skip: set[Any] | None = None) -> list[str]:
    """Paragraph-like blocks under `root`, outermost first, without widgets, captions or skipped nodes."""
    skip = {node for node in (skip or set()) if node is not None}
    lines: list[str] = []
    loose: list[str] = []

    def walk(element: Any) -> None:
        if not isinstance(element.tag, str) or element in skip or element.tag in _NOT_TEXT:
            return
        if _WIDGETS.search(element.get("class") or ""):
            return
        if (element.tag in _BLOCKS or element.tag in _HEADINGS) and not _holds_blocks(element, skip):
            text = " ".join(element.text_content().split())
            if text:
                lines.append(text)
            return
        if element.text and element.text.strip():
            loose.append(element.text.strip())
        for child in element:
            walk(child)
            if child.tail and child.tail.strip():
                loose.append(child.tail.strip())

    walk(root)
    return lines or [" ".join(" ".join(loose).split())]


def _holds_blocks(element: Any, skip: set[Any]) -> bool:
    """Whether a block element holds other blocks or skipped nodes (a list item wrapping a post)."""
    return any(
        child in skip or (isinstance(child.tag, str) and (child.tag in _BLOCKS or child.tag in _HEADINGS))
        for child in element.iterdescendants()
    )


def _is_live(posts: list[Post], title: str | None, types: set[str]) -> bool:
    """Enough posts stamped with clock times for what the page says it is (see the module doc)."""
    clocked = [p for p in posts if p.time_label and _CLOCK.search(p.time_label)]
    live_title = bool(title and _LIVE_TITLE.search(title))
    if "LiveBlogPosting" in types:
        return len(clocked) >= 2
    if types & _ARTICLE_TYPES:
        return len(clocked) >= 6 and live_title
    return len(clocked) >= (2 if live_title else 6)
