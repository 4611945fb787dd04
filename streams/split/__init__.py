"""The split stage: a RawArticle in, clean Entries out (pure; no Kafka here).

Example:
    >>> from schemas import RawArticle
    >>> raw = RawArticle(source="demo", content="Quake hits coast\\nA strong quake hit the coast.")
    >>> [(e.kind, e.headline, e.body) for e in split_article(raw)]
    [('article', 'Quake hits coast', 'A strong quake hit the coast.')]
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.messages import Entry, RawArticle
from streams.errors import LimitExceeded
from streams.split.ids import article_id_for, content_hash, entry_id_for, normalise
from streams.split.learnt import LineStore, MemoryLineStore, candidate_lines
from streams.split.markup import Page, read_html
from streams.split.segment import Segment, one_article, segment
from streams.split.timestamps import TimeLine
from streams.split.updates import SOURCE_KEY, ArticleState, diff, is_replay, pack, unpack

__all__ = [
    "SOURCE_KEY",
    "ArticleState",
    "LineStore",
    "MemoryLineStore",
    "Page",
    "SplitLimits",
    "candidate_lines",
    "content_hash",
    "diff",
    "ensure_article_id",
    "entry_id_for",
    "is_replay",
    "pack",
    "read_page",
    "split_article",
    "unpack",
]


@dataclass(frozen=True)
class SplitLimits:
    """Bounds on one article; past them the article is dead-lettered, not truncated."""

    max_content_chars: int = 2_000_000
    max_entries: int = 500


def ensure_article_id(raw: RawArticle) -> RawArticle:
    """The article with its id filled in (from `url`, else content) when the producer sent none."""
    if raw.article_id:
        return raw
    return raw.model_copy(
        update={"article_id": article_id_for(url=raw.url, content=raw.content, source=raw.source)}
    )


def read_page(raw: RawArticle) -> Page:
    """The article as the splitter reads it: lines to segment (plain text), or an HTML page's
    posts or article text (one parse)."""
    if raw.content_type == "text/html":
        return read_html(raw.content)
    return Page(title=None, lines=raw.content.splitlines())


def _segments(raw: RawArticle, page: Page, learnt: frozenset[str]) -> list[Segment]:
    if page.posts:
        return [
            Segment(
                "post",
                headline=p.headline,
                body=p.body,
                time=TimeLine(p.time_label, p.published_at) if p.time_label else None,
            )
            for p in page.posts
        ]
    reference = raw.published_at or page.published_at
    if page.kind == "article":  # an HTML page found to be one article is never cut into posts
        return one_article(page.lines, title=raw.title or page.title, reference=reference, learnt=learnt)
    return segment(page.lines, title=raw.title or page.title, reference=reference, learnt=learnt)


def _identity(seg: Segment) -> str:
    """What names an entry inside its article, stable while its text is edited."""
    if seg.kind == "article":
        return "article"
    label = seg.time.label if seg.time else ""
    lead = seg.headline or (seg.body[0][:80] if seg.body else "")
    return f"{seg.kind}|{label}|{normalise(lead)}"


def split_article(
    raw: RawArticle,
    limits: SplitLimits | None = None,
    lines: LineStore | None = None,
    page: Page | None = None,
) -> list[Entry]:
    """Split one article into entries: one per post, summary or teaser card, or one article.

    With a `lines` store, the article's lines are counted per source first, and lines
    the source repeats across articles are dropped as boilerplate. `page` is the article
    as `read_page` read it, when the caller has it already.
    """
    limits = limits or SplitLimits()
    if len(raw.content) > limits.max_content_chars:
        raise LimitExceeded("content_too_long", f"{len(raw.content)} chars > {limits.max_content_chars}")
    article_id = raw.article_id or article_id_for(url=raw.url, content=raw.content, source=raw.source)
    page = page or read_page(raw)
    learnt = (
        lines.observe(raw.source, article_id, candidate_lines(page.lines))
        if lines is not None and page.lines
        else frozenset()
    )
    segments = _segments(raw, page, learnt)
    if len(segments) > limits.max_entries:
        raise LimitExceeded("too_many_entries", f"{len(segments)} > {limits.max_entries}")
    seen: dict[str, int] = {}
    entries = []
    for position, seg in enumerate(segments):
        identity = _identity(seg)
        seen[identity] = seen.get(identity, -1) + 1
        body = "\n".join(seg.body)
        stamp = seg.time
        entries.append(
            Entry(
                entry_id=entry_id_for(article_id, identity, seen[identity]),
                article_id=article_id,
                source=raw.source,
                url=raw.url,
                article_title=raw.title or page.title or _first_line(page),
                position=position,
                kind=seg.kind,
                headline=seg.headline,
                body=body,
                time_label=stamp.label if stamp else None,
                published_at=(
                    stamp.published_at
                    if stamp and stamp.published_at
                    else raw.published_at
                    if seg.kind == "article"
                    else None
                ),
                revision=1,
                content_hash=content_hash(seg.headline, body),
            )
        )
    return entries


def _first_line(page: Page) -> str | None:
    return next((line.strip() for line in page.lines if line.strip()), None)
