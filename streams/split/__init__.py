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
from streams.split.markup import html_to_lines
from streams.split.segment import Segment, segment

__all__ = ["SplitLimits", "ensure_article_id", "split_article"]


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


def _lines(raw: RawArticle) -> list[str]:
    if raw.content_type == "text/html":
        return html_to_lines(raw.content)
    return raw.content.splitlines()


def _identity(seg: Segment) -> str:
    """What names an entry inside its article, stable while its text is edited."""
    if seg.kind == "article":
        return "article"
    label = seg.time.label if seg.time else ""
    lead = seg.headline or (seg.body[0][:80] if seg.body else "")
    return f"{seg.kind}|{label}|{normalise(lead)}"


def split_article(raw: RawArticle, limits: SplitLimits | None = None) -> list[Entry]:
    """Split one article into entries: one per post or teaser card, or one for the article."""
    limits = limits or SplitLimits()
    if len(raw.content) > limits.max_content_chars:
        raise LimitExceeded("content_too_long", f"{len(raw.content)} chars > {limits.max_content_chars}")
    article_id = raw.article_id or article_id_for(url=raw.url, content=raw.content, source=raw.source)
    segments = segment(_lines(raw), title=raw.title, reference=raw.published_at)
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
                article_title=raw.title or _first_line(raw),
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


def _first_line(raw: RawArticle) -> str | None:
    lines = [line.strip() for line in _lines(raw) if line.strip()]
    return lines[0] if lines else None
