"""IPTC Media Topics (top level) for an entry, from weighted keyword cues in a data file.

Example:
    >>> [t.code for t in classify("The earthquake death toll rose as rescuers searched the rubble.")]
    ['03000000']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from streams.enrich.resources import load_toml
from streams.enrich.tokens import words as _words

_WORD = re.compile(r"[\w€£$][\w'’-]*")
# A second topic must score at least this share of the best one.
_SECOND_TOPIC_SHARE = 0.5
# Fewer cue hits than this in the whole entry is too little evidence for any topic.
_MIN_HITS = 1
_MAX_TOPICS = 3


@dataclass(frozen=True)
class Topic:
    """An IPTC Media Topic with the share of cue evidence that chose it."""

    code: str
    name: str
    score: float

    @property
    def id(self) -> str:
        return f"medtop:{self.code}"


_SHORT_SUFFIXES = ("", "s", "es", "'s", "’s")


def _inflects(stem: str, word: str) -> bool:
    """Whether `word` is `stem` or a form of it; short stems match whole words only ("war")."""
    rest = word[len(stem) :]
    if len(stem) < 5:
        return rest in _SHORT_SUFFIXES
    return len(rest) <= 4 or len(stem) >= 6


def _first_word(phrase: str) -> str:
    """The first whole word of a multi-word cue ("" for symbols and padded parts like "eu ")."""
    if not phrase[:1].isalpha() or phrase.endswith(" ") or " " not in phrase:
        return ""
    return phrase.split()[0]


class TopicModel:
    """Cue stems per topic; a text's topics are the ones with most cue hits."""

    def __init__(self) -> None:
        data = load_toml("iptc_topics.toml")
        self.names = {code: spec["name"] for code, spec in data.items()}
        single: dict[str, list[str]] = {}
        phrases: list[tuple[str, str]] = []
        for code, spec in data.items():
            for cue in spec["cues"]:
                cue_l = cue.strip().lower()
                if " " in cue_l or not cue_l[0].isalnum():
                    phrases.append((cue.lower(), code))
                else:
                    single.setdefault(cue_l, []).append(code)
        self._single = single
        self._phrases = [(_first_word(p), p, c) for p, c in phrases]
        self._prefixes = sorted(single, key=len, reverse=True)
        self._cache: dict[str, tuple[str, ...]] = {}

    def _codes_for(self, word: str) -> tuple[str, ...]:
        """Topics whose cue stems start `word` (memoised: vocabularies are small)."""
        hit = self._cache.get(word)
        if hit is None:
            codes: list[str] = []
            for stem in self._prefixes:
                if word.startswith(stem) and _inflects(stem, word):
                    codes.extend(self._single[stem])
            hit = tuple(dict.fromkeys(codes))
            if len(self._cache) < 200_000:
                self._cache[word] = hit
        return hit

    def scores(self, text: str) -> dict[str, float]:
        """Cue hits per topic code."""
        lowered = f" {text.lower()} "
        counts: dict[str, float] = {}
        words = Counter(_words(lowered, _WORD))
        cache = self._cache  # looked up here: a method call per word cost a tenth of this
        for word, n in words.items():
            codes = cache.get(word)
            for code in self._codes_for(word) if codes is None else codes:
                counts[code] = counts.get(code, 0.0) + n
        for first, phrase, code in self._phrases:
            if first and first not in words:
                continue  # the phrase's first word is absent: no need to search the text
            n = lowered.count(phrase)
            if n:
                counts[code] = counts.get(code, 0.0) + 1.5 * n
        return counts

    def classify(self, text: str) -> list[Topic]:
        """The topics of a text, best first; several when it spans several."""
        counts = self.scores(text)
        if not counts:
            return []
        total = sum(counts.values())
        best = max(counts.values())
        if best < _MIN_HITS:
            return []
        chosen = sorted(
            (code for code, n in counts.items() if n >= best * _SECOND_TOPIC_SHARE),
            key=lambda c: -counts[c],
        )[:_MAX_TOPICS]
        return [Topic(code, self.names[code], round(counts[code] / total, 3)) for code in chosen]


@cache
def default_model() -> TopicModel:
    """The shared topic model, loaded on first use."""
    return TopicModel()


def classify(text: str) -> list[Topic]:
    """Topics of `text` with the shared model."""
    return default_model().classify(text)
