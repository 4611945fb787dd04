"""The tagger behind one function, and how another one is plugged in by configuration.

A tagger takes all entries of one article (so short names resolve across posts) and
an `ArticleContext`, the article's memory across calls (the stream tags an article's
entries as they arrive), and returns their tags. Set
`NEWSSTREAM_TAGGER=package.module:factory` to use your own; the factory is called with
no arguments and must return a `Tagger`.

Example:
    >>> from schemas import Entry
    >>> e = Entry(entry_id="a:1", article_id="a", source="s", position=0, kind="article",
    ...           body="Rescuers searched the rubble in Tokyo after the earthquake, said Fumio Kishida.",
    ...           content_hash="h")
    >>> sorted((t.type, t.name) for t in RuleTagger().tag_article([e])[0] if t.type != "keyword")
    [('person', 'Fumio Kishida'), ('place', 'Tokyo'), ('topic', 'disaster, accident and emergency incident')]
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from pydantic import TypeAdapter

from schemas.messages import Entry, Tag
from streams.enrich.entities import ArticleContext, EntityExtractor
from streams.enrich.iptc import TopicModel, default_model
from streams.enrich.keywords import keywords
from streams.errors import ConfigError

_KEYWORDS_PER_ENTRY = 5
# Key phrases come from the headline and lede: later paragraphs add cost, rarely salience.
_KEYWORD_CHARS = 1000
_TAGS = TypeAdapter(list[Tag])


@runtime_checkable
class Tagger(Protocol):
    """Anything that tags the entries of one article."""

    language: str  # the language the tagger reads, reported on each enriched entry

    def tag_article(self, entries: Sequence[Entry], context: ArticleContext | None = None) -> list[list[Tag]]:
        """Tags for each entry, in the order given.

        `context` is what earlier calls for the same article left in it (None: a fresh
        article); a tagger may read it and add to it, or ignore it.
        """
        ...


def entry_text(entry: Entry) -> str:
    """The text a tagger reads: headline then body."""
    return f"{entry.headline}\n{entry.body}" if entry.headline else entry.body


class RuleTagger:
    """The built-in tagger: entity rules, gazetteer, IPTC cue model and RAKE keywords."""

    language = "en"

    def __init__(self, extractor: EntityExtractor | None = None, topics: TopicModel | None = None) -> None:
        self.extractor = extractor or EntityExtractor()
        self.topics = topics or default_model()

    def tag_article(self, entries: Sequence[Entry], context: ArticleContext | None = None) -> list[list[Tag]]:
        """Tags per entry; `context` carries names from earlier entries and keeps these for later."""
        texts = [entry_text(e) for e in entries]
        ctx = context if context is not None else ArticleContext()
        ctx.sports = ctx.sports or any(self.extractor.is_sports(text) for text in texts)
        spans = [self.extractor.spans(text) for text in texts]
        for text_spans in spans:  # first pass: full names anywhere in the article
            self.extractor.learn(text_spans, ctx)
        return [self.tag_text(text, ctx, text_spans) for text, text_spans in zip(texts, spans, strict=True)]

    def tag_text(self, text: str, ctx: ArticleContext, spans: list[Any] | None = None) -> list[Tag]:
        """Tags of one entry's text, with the article's context (and its spans, if known)."""
        found = self.extractor.classify(spans if spans is not None else self.extractor.spans(text), ctx)
        tags: list[dict[str, Any]] = [
            {
                "type": e.type,
                "name": e.name,
                "id": e.id,
                "country": e.country,
                "lat": e.lat,
                "lon": e.lon,
                "count": n,
            }
            for e, n in sorted(found.items(), key=lambda kv: -kv[1])
        ]
        tags += [
            {"type": "topic", "name": t.name, "id": t.id, "score": t.score}
            for t in self.topics.classify(text)
        ]
        tags += [
            {"type": "keyword", "name": k, "score": s}
            for k, s in keywords(text[:_KEYWORD_CHARS], _KEYWORDS_PER_ENTRY)
        ]
        # One validation of the list instead of one per tag: a quarter less time.
        return _TAGS.validate_python(tags)


def load_tagger(spec: str) -> Tagger:
    """Build the tagger named by `module:factory`; a clear ConfigError when it cannot."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ConfigError("bad_tagger", f"NEWSSTREAM_TAGGER={spec!r}: expected module:factory")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError("bad_tagger", f"cannot load tagger {spec!r}: {exc}") from exc
    tagger = factory()
    if not isinstance(tagger, Tagger):
        raise ConfigError("bad_tagger", f"{spec!r} did not return an object with tag_article()")
    return tagger
