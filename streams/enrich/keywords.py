"""Salient key phrases of an entry: RAKE-style scoring of runs of content words.

Example:
    >>> keywords("The tsunami warning was lifted. Rescuers kept searching after the tsunami warning.", 2)
    [('tsunami warning', 8.0), ('rescuers kept searching', 9.0)]
"""

from __future__ import annotations

import re
from collections import Counter

from streams.enrich.resources import stopwords
from streams.enrich.tokens import words

_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*|[.,;:!?()\"“”‘’]")
_MAX_WORDS = 3


def _phrases(text: str) -> list[tuple[str, ...]]:
    """Runs of content words between stopwords, numbers and punctuation."""
    stop = stopwords()
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    # One pass, no per-token tuples: this runs over every word of every entry.
    for token in words(text.lower().replace("’s ", " ").replace("'s ", " "), _WORD):
        if len(token) > 2 and token[0].isalpha() and token not in stop:
            run.append(token)
        elif run:
            if len(run) <= _MAX_WORDS:
                runs.append(tuple(run))
            run = []
    if run and len(run) <= _MAX_WORDS:
        runs.append(tuple(run))
    return runs


def keywords(text: str, limit: int = 5) -> list[tuple[str, float]]:
    """Up to `limit` key phrases with their scores, in order of first appearance."""
    phrases = _phrases(text)
    freq: dict[str, int] = {}
    degree: dict[str, int] = {}
    for phrase in phrases:
        size = len(phrase)
        for word in phrase:
            freq[word] = freq.get(word, 0) + 1
            degree[word] = degree.get(word, 0) + size
    ratio = {word: degree[word] / n for word, n in freq.items()}.__getitem__
    # Phrases in order of first appearance (Counter keeps it), each scored once.
    scored = {" ".join(phrase): sum(map(ratio, phrase)) * n for phrase, n in Counter(phrases).items()}
    best = set(sorted(scored, key=scored.__getitem__, reverse=True)[:limit])  # a stable sort
    return [(key, round(score, 3)) for key, score in scored.items() if key in best]
