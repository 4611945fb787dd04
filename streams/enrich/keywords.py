"""Salient key phrases of an entry: RAKE-style scoring of runs of content words.

Example:
    >>> keywords("The tsunami warning was lifted. Rescuers kept searching after the tsunami warning.", 2)
    [('tsunami warning', 8.0), ('rescuers kept searching', 9.0)]
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby
from operator import itemgetter

from streams.enrich.resources import stopwords

_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*|[.,;:!?()\"“”‘’]")
_MAX_WORDS = 3


def _phrases(text: str) -> list[tuple[str, ...]]:
    """Runs of content words between stopwords, numbers and punctuation."""
    stop = stopwords()
    tokens = _WORD.findall(text.lower().replace("’s ", " ").replace("'s ", " "))
    keep = [t[0].isalpha() and len(t) > 2 and t not in stop for t in tokens]
    runs = []
    for kept, group in groupby(zip(tokens, keep, strict=True), key=itemgetter(1)):
        if kept:
            run = tuple([t for t, _ in group])
            if len(run) <= _MAX_WORDS:
                runs.append(run)
    return runs


def keywords(text: str, limit: int = 5) -> list[tuple[str, float]]:
    """Up to `limit` key phrases with their scores, in order of first appearance."""
    phrases = _phrases(text)
    freq: dict[str, int] = {}
    degree: dict[str, int] = {}
    for phrase in phrases:
        for word in phrase:
            freq[word] = freq.get(word, 0) + 1
            degree[word] = degree.get(word, 0) + len(phrase)
    scored: dict[str, float] = {}
    for phrase, n in Counter(phrases).items():
        scored[" ".join(phrase)] = sum(degree[w] / freq[w] for w in phrase) * n
    best = sorted(scored, key=lambda k: -scored[k])[:limit]
    order = {key: i for i, key in enumerate(scored)}
    return [(key, round(scored[key], 3)) for key in sorted(best, key=order.__getitem__)]
