"""The taggers behind one protocol, and how one is chosen by configuration.

NEWSSTREAM_TAGGER picks it: `accurate` (the default: spaCy's trained entity model with
our canonical layer, `streams.enrich.accurate`), `fast` (`RuleTagger`: rules over
capitalised names, about ten times faster, less accurate), or `package.module:factory`
for your own. A tagger takes all entries of one article (so short names resolve across posts) and
an `ArticleContext`, the article's memory across calls (the stream tags an article's
entries as they arrive), and returns their tags. Set
`NEWSSTREAM_TAGGER=package.module:factory` to use your own; the factory is called with
no arguments and must return a `Tagger`.

Example:
    >>> from schemas import Entry
    >>> e = Entry(entry_id="a:1", article_id="a", source="s", position=0, kind="article",
    ...           body="Rescuers searched the rubble in Tokyo after the earthquake, said Fumio Kishida.",
    ...           content_hash="h")
    >>> tags = RuleTagger().tag_article([e])[0]
    >>> sorted((t.type, t.name) for t in tags if t.type in ("person", "place"))
    [('person', 'Fumio Kishida'), ('place', 'Tokyo')]
    >>> [(t.name, t.parent) for t in tags if t.type == "topic"]
    [('disaster, accident and emergency incident', None), ('disaster', 'medtop:03000000')]
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from schemas.messages import Entry, Tag
from streams.enrich.entities import ArticleContext, Entity, EntityExtractor
from streams.enrich.iptc import Topic, TopicModel, default_model
from streams.enrich.ner import DEFAULT_MODEL
from streams.enrich.standings import row_leads
from streams.enrich.tagging import article_topics, entry_text, field_mention, headline_length, tag_list
from streams.errors import ConfigError

#: The built-in taggers by name (NEWSSTREAM_TAGGER).
BUILT_IN = ("accurate", "fast")


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


class RuleTagger:
    """The fast tagger: entity rules, gazetteer, IPTC topic model and RAKE keywords."""

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
        topics = article_topics(self.topics, entries, texts, ctx)
        return [
            self._tags(text, headline_length(entry), ctx, text_spans, entry_topics)
            for entry, text, text_spans, entry_topics in zip(entries, texts, spans, topics, strict=True)
        ]

    def _tags(
        self, text: str, head: int, ctx: ArticleContext, spans: list[Any], topics: list[Topic]
    ) -> list[Tag]:
        grouped: dict[Entity, list[dict[str, Any]]] = {}
        leads = row_leads(text) if ctx.sports else frozenset()
        for entity, start, end in self.extractor.located(spans, ctx, leads):
            inside = text.find(entity.name, start, end)  # "Prime Minister Fumio Kishida" -> the name
            if inside >= 0:
                start, end = inside, inside + len(entity.name)
            where = field_mention(text, start, end, head)
            grouped.setdefault(entity, []).extend([where] if where is not None else [])
        ranked = sorted(grouped.items(), key=lambda kv: -len(kv[1]))
        return tag_list(text, [(entity, max(1, len(spots)), spots) for entity, spots in ranked], topics)


def load_tagger(spec: str, ner_model: str = DEFAULT_MODEL) -> Tagger:
    """The tagger named `accurate`, `fast` or `module:factory`; a clear ConfigError when it cannot.

    `ner_model` is the entity model of the accurate tagger (NEWSSTREAM_NER_MODEL).
    """
    if spec == "accurate":
        from streams.enrich.accurate import AccurateTagger  # spaCy is imported only for it

        return AccurateTagger(ner_model)
    if spec == "fast":
        return RuleTagger()
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ConfigError(
            "bad_tagger", f"NEWSSTREAM_TAGGER={spec!r}: expected accurate, fast or module:factory"
        )
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError("bad_tagger", f"cannot load tagger {spec!r}: {exc}") from exc
    tagger = factory()
    if not isinstance(tagger, Tagger):
        raise ConfigError("bad_tagger", f"{spec!r} did not return an object with tag_article()")
    return tagger
