"""Which story an entry belongs to, and whether it is a copy: one index over a time window.

The rule, in order, for each entry (`StoryIndex.add`):

1. **Copy**: an earlier entry within the window shares an LSH band key with it
   (`streams.stories.minhash`) and their estimated Jaccard similarity over word
   shingles is at least `DUPLICATE`. The entry is a copy of that entry's original
   (`duplicate_of`, with `similarity`) and joins its story.
2. **Same story**: otherwise, among earlier entries within the window whose people,
   organisations and places share at least `SHARED_NAME_WORDS` words with its own (words,
   not whole names: one outlet's "Luís Montenegro" is another's "Montenegro"), the one
   whose text is closest (cosine of rarity-weighted word vectors,
   `streams.enrich.WordVectors`); if that cosine is at least `SAME_STORY`, the entry joins
   its story.
3. Otherwise the entry opens a story of its own (its id: `s-` and a hash of the entry id).

Both lookups go through keys (band keys, name words), never through every entry in the
window: `StoryIndex` runs the keyed steps of `streams.stories.matching` in one process,
over as many partitions as asked, exactly as the stream runs them across workers.

Example:
    >>> from datetime import UTC, datetime
    >>> index = StoryIndex()
    >>> at = datetime(2026, 3, 1, 9, tzinfo=UTC)
    >>> text = "Storm Ida closed the port of Dover on Monday as winds reached 90 mph, the coastguard said."
    >>> first = index.add(Item.of("a:1", at, text, {"Dover"}))
    >>> copy = index.add(Item.of("b:1", at, text + " Ferries were cancelled.", {"Dover"}))
    >>> copy.duplicate_of, copy.story_id == first.story_id
    ('a:1', True)
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from schemas.messages import EnrichedEntry
from streams.enrich import default_vectors, stopwords, unit
from streams.stories.matching import (
    DUPLICATE,
    SAME_STORY,
    SHARED_NAME_WORDS,
    Mark,
    Rule,
    answer,
    decide,
    needs_settling,
    probes,
    settle,
    settlement,
)
from streams.stories.minhash import Signature, signature

__all__ = ["DUPLICATE", "SAME_STORY", "SHARED_NAME_WORDS", "Item", "Mark", "StoryIndex", "marked"]

_WORDS = re.compile(r"[^\W\d_]+")

#: How long an entry can be matched.
WINDOW = timedelta(hours=48)
#: Entry kinds that take part in stories (summaries and teaser cards repeat other entries).
STORY_KINDS = frozenset({"article", "post"})
#: Tag types whose names are compared.
NAME_TAGS = frozenset({"person", "organization", "place"})


@dataclass(frozen=True)
class Item:
    """What the index needs of an entry."""

    entry_id: str
    at: datetime
    signature: Signature
    names: frozenset[str]
    vector: np.ndarray

    @classmethod
    def of(cls, entry_id: str, at: datetime, text: str, names: Iterable[str]) -> Item:
        """The item of an entry's text (its body) and the names of its tags."""
        vector, _ = default_vectors().text_vector(text, stopwords())
        return cls(entry_id, at, signature(text), _name_words(names), unit(vector))

    @classmethod
    def of_entry(cls, entry: EnrichedEntry, at: datetime) -> Item:
        """The item of an enriched entry: its body and the names of its people, organisations, places."""
        return cls.of(entry.entry_id, at, entry.body, (t.name for t in entry.tags if t.type in NAME_TAGS))


class StoryIndex:
    """Entries of the last `window`, in stores of `partitions` band partitions, in one process."""

    def __init__(self, window: timedelta = WINDOW, partitions: int = 1, rule: Rule | None = None) -> None:
        self.rule = rule or Rule(window=window.total_seconds())
        self.partitions = partitions
        self.stores: list[dict[str, Any]] = [{} for _ in range(partitions)]
        self._added: OrderedDict[str, float] = OrderedDict()  # entry id -> time, in the order added

    def __len__(self) -> int:
        return len(self._added)

    def add(self, item: Item) -> Mark:
        """Mark `item` (copy of, story of) and remember it."""
        at = item.at.timestamp()
        self._forget_before(at - self.rule.window)
        sent = probes(item.entry_id, at, item.signature, item.vector, item.names, self.partitions)
        answers = [answer(self.stores[p], probe, p, self.rule) for p, probe in sent.items()]
        mark = decide(item.entry_id, answers, self.rule)
        if needs_settling(item.entry_id, mark):
            for p in sent:
                settle(self.stores[p], settlement(item.entry_id, mark))
        self._added[item.entry_id] = at
        self._added.move_to_end(item.entry_id)
        return mark

    def _forget_before(self, oldest: float) -> None:
        """Drop the records of entries older than the window (key lists drop them when next written)."""
        while self._added:
            entry_id, at = next(iter(self._added.items()))
            if at >= oldest:
                return
            del self._added[entry_id]
            for store in self.stores:
                store.pop("e:" + entry_id, None)


def marked(index: StoryIndex, entry: EnrichedEntry, at: datetime) -> EnrichedEntry:
    """`entry` with the story fields `index` gives it (unchanged for kinds outside stories)."""
    if entry.kind not in STORY_KINDS:
        return entry
    return with_mark(entry, index.add(Item.of_entry(entry, at)))


def with_mark(entry: EnrichedEntry, mark: Mark) -> EnrichedEntry:
    """`entry` with the story fields of `mark` (what the stream and `newsstream process` publish)."""
    return entry.model_copy(
        update={"story_id": mark.story_id, "duplicate_of": mark.duplicate_of, "similarity": mark.similarity}
    )


def _name_words(names: Iterable[str]) -> frozenset[str]:
    """The words of names, lower case, without function words and one- or two-letter words."""
    skip = stopwords()
    words = (w for name in names for w in _WORDS.findall(name.casefold()))
    return frozenset(w for w in words if len(w) > 2 and w not in skip)
