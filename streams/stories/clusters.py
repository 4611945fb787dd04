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

Both lookups go through keys (band keys, names), never through every entry in the window,
so that the same rule can be run where entries are keyed by those keys.

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

import hashlib
import re
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from streams.enrich import default_vectors, stopwords, unit
from streams.stories.minhash import Signature, band_keys, signature, similarity

#: Estimated Jaccard similarity of word shingles from which an entry is a copy.
DUPLICATE = 0.4
#: Cosine of text vectors from which entries naming the same people and places are one story.
SAME_STORY = 0.8
#: Words of names two entries must share to be compared as one story.
SHARED_NAME_WORDS = 2
_WORDS = re.compile(r"[^\W\d_]+")

#: How long an entry can be matched.
WINDOW = timedelta(hours=48)


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


@dataclass(frozen=True)
class Mark:
    """What the index says about an entry."""

    story_id: str
    duplicate_of: str | None = None
    similarity: float | None = None


@dataclass
class _Seen:
    item: Item
    mark: Mark
    bands: list[str]  # its band keys, to find it by and to forget it by


class StoryIndex:
    """Entries of the last `WINDOW`, looked up by band key and by name."""

    def __init__(self, window: timedelta = WINDOW) -> None:
        self.window = window
        self._seen: OrderedDict[str, _Seen] = OrderedDict()  # in the order added
        self._by_band: defaultdict[str, list[str]] = defaultdict(list)
        self._by_name: defaultdict[str, list[str]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, item: Item) -> Mark:
        """Mark `item` (copy of, story of) and remember it."""
        self._forget_before(item.at - self.window)
        bands = band_keys(item.signature)
        mark = self._copy_mark(item, bands) or self._story_mark(item) or Mark(_story_id(item.entry_id))
        self._seen[item.entry_id] = _Seen(item, mark, bands)
        for key in bands:
            self._by_band[key].append(item.entry_id)
        for name in item.names:
            self._by_name[name].append(item.entry_id)
        return mark

    def _candidates(self, ids: Iterable[str], item: Item) -> list[_Seen]:
        out = []
        for entry_id in dict.fromkeys(ids):
            seen = self._seen.get(entry_id)
            if seen is not None and entry_id != item.entry_id and abs(item.at - seen.item.at) <= self.window:
                out.append(seen)
        return out

    def _copy_mark(self, item: Item, bands: list[str]) -> Mark | None:
        ids = [i for key in bands for i in self._by_band.get(key, ())]
        best, best_sim = None, 0.0
        for seen in self._candidates(ids, item):
            sim = similarity(item.signature, seen.item.signature)
            if sim > best_sim:
                best, best_sim = seen, sim
        if best is None or best_sim < DUPLICATE:
            return None
        original = best.mark.duplicate_of or best.item.entry_id
        return Mark(best.mark.story_id, original, round(best_sim, 3))

    def _story_mark(self, item: Item) -> Mark | None:
        shared: defaultdict[str, int] = defaultdict(int)
        for name in item.names:
            for entry_id in self._by_name.get(name, ()):
                shared[entry_id] += 1
        ids = [entry_id for entry_id, n in shared.items() if n >= SHARED_NAME_WORDS]
        best, best_cos = None, 0.0
        for seen in self._candidates(ids, item):
            cos = float(item.vector @ seen.item.vector)
            if cos > best_cos:
                best, best_cos = seen, cos
        return Mark(best.mark.story_id) if best is not None and best_cos >= SAME_STORY else None

    def _forget_before(self, oldest: datetime) -> None:
        """Drop entries older than the window (the index is bounded by it)."""
        while self._seen:
            entry_id, seen = next(iter(self._seen.items()))
            if seen.item.at >= oldest:
                return
            del self._seen[entry_id]
            # Keys keep stale ids until they are looked up; drop the emptied ones now.
            for key in seen.bands:
                self._drop(self._by_band, key, entry_id)
            for name in seen.item.names:
                self._drop(self._by_name, name, entry_id)

    @staticmethod
    def _drop(index: defaultdict[str, list[str]], key: str, entry_id: str) -> None:
        ids = index.get(key)
        if ids is not None:
            if entry_id in ids:
                ids.remove(entry_id)
            if not ids:
                del index[key]


def _name_words(names: Iterable[str]) -> frozenset[str]:
    """The words of names, lower case, without function words and one- or two-letter words."""
    skip = stopwords()
    words = (w for name in names for w in _WORDS.findall(name.casefold()))
    return frozenset(w for w in words if len(w) > 2 and w not in skip)


def _story_id(entry_id: str) -> str:
    return "s-" + hashlib.blake2b(entry_id.encode(), digest_size=8).hexdigest()
