"""The accurate tagger: a trained entity model finds the names, our layer names them canonically.

For the entries of one article: upper-case lines are recased (`casing`), the spaCy model
finds people, organisations and places in them all at once (`ner`), the spans are
repaired (`spans`), and each mention is resolved (`names`): places to GeoNames ids,
country codes and coordinates, organisations to their official short names, a later
"Putin" to the "Vladimir Putin" met earlier in the article. Every tag carries its
mentions with offsets into the entry's headline or body. Topics and keywords are the
same as the fast tagger's.

Example:
    >>> from schemas import Entry
    >>> e = Entry(entry_id="a:1", article_id="a", source="s", position=0, kind="article",
    ...           headline="Quake hits Japan",
    ...           body="Fumio Kishida said aid was coming. Kishida flew to Tokyo.",
    ...           content_hash="h")
    >>> tags = AccurateTagger().tag_article([e])[0]
    >>> [(t.type, t.name, t.count) for t in tags if t.type in ("person", "place")]
    [('person', 'Fumio Kishida', 2), ('place', 'Japan', 1), ('place', 'Tokyo', 1)]
    >>> [(m.field, m.start, m.end) for m in tags[0].mentions or []]
    [('body', 0, 13), ('body', 35, 42)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from schemas.messages import Entry, Tag
from streams.enrich.casing import truecase
from streams.enrich.entities import ArticleContext, Entity
from streams.enrich.iptc import Topic, TopicModel, default_model
from streams.enrich.names import Names, default_names
from streams.enrich.ner import DEFAULT_MODEL, NerModel, load_model
from streams.enrich.recall import datelines, missed
from streams.enrich.spans import (
    Mention,
    Overlaps,
    nationality_countries,
    repair,
    row_mentions,
    scorecard_mentions,
    side_mentions,
)
from streams.enrich.standings import versus_sides
from streams.enrich.tagging import article_topics, entry_text, field_mention, headline_length, tag_list

_ENTITY_TYPES = ("person", "organization", "place")


class AccurateTagger:
    """spaCy's entity model with canonical names, ids and mentions; the default tagger."""

    language = "en"

    def __init__(
        self,
        model: str | NerModel = DEFAULT_MODEL,
        names: Names | None = None,
        topics: TopicModel | None = None,
    ) -> None:
        self.model = load_model(model) if isinstance(model, str) else model
        self.names = names or default_names()
        self.topics = topics or default_model()

    def tag_article(self, entries: Sequence[Entry], context: ArticleContext | None = None) -> list[list[Tag]]:
        """Tags per entry; `context` carries names from earlier entries and keeps these for later."""
        ctx = context if context is not None else ArticleContext()
        texts = [entry_text(entry) for entry in entries]
        cased = [truecase(text, self.names.places, self.names.common) for text in texts]
        is_country = self.names.is_country
        found = [
            self.names.without_nationality(
                text, repair(text, spans) + nationality_countries(text, spans, is_country)
            )
            for text, spans in zip(cased, self.model.entities(cased), strict=True)
        ]
        found = self.names.vote(cased, found)
        for text, mentions in zip(cased, found, strict=True):
            self.names.learn(text, mentions, ctx)  # full names anywhere in the article first
        topics = article_topics(self.topics, entries, texts, ctx)
        return [
            self._tags(entry, text, cased_text, mentions, ctx, entry_topics)
            for entry, text, cased_text, mentions, entry_topics in zip(
                entries, texts, cased, found, topics, strict=True
            )
        ]

    def _tags(
        self,
        entry: Entry,
        text: str,
        cased: str,
        mentions: list[Mention],
        ctx: ArticleContext,
        topics: list[Topic],
    ) -> list[Tag]:
        grouped: dict[Entity, list[dict[str, Any]]] = {}
        head = headline_length(entry)
        sports = self.names.sports(text)
        # A dateline's place is a place whatever the model took it for (a person, an organisation),
        # and a scorecard's ground and sides are what the line's shape says.
        by_shape = datelines(cased, self.names.is_place) + scorecard_mentions(cased)
        shaped = Overlaps(by_shape)
        mentions = [m for m in mentions if not shaped.within(m.start, m.end)]
        mentions = mentions + by_shape
        mentions = mentions + row_mentions(cased, sports.rows(), mentions)
        sides = [side for side in versus_sides(cased) if sports.at(side[0])]
        mentions = mentions + side_mentions(sides, mentions)
        players = self.names.competitors(cased, sports, mentions)
        by_player = Overlaps(players)
        mentions = [m for m in mentions if not by_player.containing(m.start, m.end)]
        mentions = mentions + players
        mentions = mentions + missed(cased, mentions, self.names.is_place, ctx.persons, self.names.is_country)
        teams = self.names.teams(cased, mentions, sports)
        for mention in mentions:
            entity = self.names.resolve(cased, mention, ctx, sports, teams)
            if entity is None:
                continue
            where = field_mention(text, mention.start, mention.end, head)
            if where is not None:
                grouped.setdefault(entity, []).append(where)
        entities = sorted(
            grouped.items(), key=lambda item: (_ENTITY_TYPES.index(item[0].type), -len(item[1]))
        )
        return tag_list(text, [(entity, len(spots), spots) for entity, spots in entities], topics)
