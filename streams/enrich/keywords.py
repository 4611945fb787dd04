"""Salient key phrases of an entry: RAKE-style scoring of runs of content words.

Example:
    >>> keywords("The tsunami warning was lifted. Rescuers kept searching after the tsunami warning.", 2)
    [('tsunami warning', 8.0), ('rescuers kept searching', 9.0)]
"""

from __future__ import annotations

import re
from collections import Counter

from streams.enrich.resources import stopwords

_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*|[.,;:!?()\"“”‘’]")
_MAX_WORDS = 3


def _phrases(text: str) -> list[tuple[str, ...]]:
    """Runs of content words between stopwords, numbers and punctuation."""
    stop = stopwords()
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    # One pass, no per-token tuples: this runs over every word of every entry.
    for token in _WORD.findall(text.lower().replace("’s ", " ").replace("'s ", " ")):
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
        for word in phrase:
            freq[word] = freq.get(word, 0) + 1
            degree[word] = degree.get(word, 0) + len(phrase)
    scored: dict[str, float] = {}
    for phrase, n in Counter(phrases).items():
        scored[" ".join(phrase)] = sum(degree[w] / freq[w] for w in phrase) * n
    best = sorted(scored, key=lambda k: -scored[k])[:limit]
    order = {key: i for i, key in enumerate(scored)}
    return [(key, round(scored[key], 3)) for key in sorted(best, key=order.__getitem__)]
