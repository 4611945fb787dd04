"""The enrich stage: Entries in, EnrichedEntries with tags out (pure; no Kafka here).

Example:
    >>> from schemas import Entry
    >>> e = Entry(entry_id="a:1", article_id="a", source="s", position=0, kind="article",
    ...           body="Rescuers searched Tokyo after the earthquake.", content_hash="h")
    >>> out = enrich_entries([e], RuleTagger(), max_tags=50)
    >>> out[0].entry_id, out[0].pipeline_version == PIPELINE_VERSION
    ('a:1', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from schemas.messages import EnrichedEntry, Entry, Tag
from streams import __version__
from streams.enrich.desks import DeskModel, desk_words
from streams.enrich.entities import ArticleContext
from streams.enrich.iptc import ConceptIndex, TopicModel
from streams.enrich.resources import DATA_DIR, stopwords
from streams.enrich.tagger import RuleTagger, Tagger, load_tagger
from streams.enrich.vectors import WordVectors, default_vectors, quantise, unit

__all__ = [
    "DATA_DIR",
    "PIPELINE_VERSION",
    "ArticleContext",
    "ConceptIndex",
    "DeskModel",
    "RuleTagger",
    "Tagger",
    "TopicModel",
    "WordVectors",
    "default_vectors",
    "desk_words",
    "enrich_entries",
    "load_tagger",
    "quantise",
    "stopwords",
    "unit",
]

PIPELINE_VERSION = __version__

_TYPE_ORDER = {"person": 0, "organization": 1, "place": 2, "topic": 3, "keyword": 4}


def _bounded(tags: list[Tag], max_tags: int) -> list[Tag]:
    """Keep at most `max_tags`, the most mentioned first within each type."""
    if len(tags) <= max_tags:
        return tags
    ranked = sorted(tags, key=lambda t: (-t.count, _TYPE_ORDER[t.type]))
    kept = set(map(id, ranked[:max_tags]))
    return [t for t in tags if id(t) in kept]


def enrich_entries(
    entries: Sequence[Entry],
    tagger: Tagger,
    *,
    max_tags: int,
    now: datetime | None = None,
    context: ArticleContext | None = None,
) -> list[EnrichedEntry]:
    """Tag entries of one article together and return them enriched, in order.

    `context` carries what earlier entries of the article said (names met before), and
    keeps what these say for later ones.
    """
    stamp = now or datetime.now(UTC)
    tag_lists = tagger.tag_article(entries, context)
    return [
        EnrichedEntry(
            **entry.__dict__,  # the validated fields, without a dump
            tags=_bounded(tags, max_tags),
            language=tagger.language,
            enriched_at=stamp,
            pipeline_version=PIPELINE_VERSION,
        )
        for entry, tags in zip(entries, tag_lists, strict=True)
    ]
