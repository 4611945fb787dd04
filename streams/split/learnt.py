"""Learnt boilerplate: a line that recurs verbatim in N distinct articles of a source.

The state is plain data (fingerprint -> article ids) so it can live in a Faust table
in the stream, or in a dict when `newsstream process` learns from several files.

Example:
    >>> mem = MemoryLineStore(threshold=2)
    >>> mem.observe("pub", "a1", ["Read our live coverage", "Storm hits"])
    frozenset()
    >>> learnt = mem.observe("pub", "a2", ["Read our live coverage", "Flood warning"])
    >>> learnt == {fingerprint("Read our live coverage")}
    True
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterable

from streams.split.timestamps import parse_time_line

#: Distinct articles of one source a line must appear in to count as boilerplate.
DEFAULT_THRESHOLD = 3
_MIN_CHARS = 4
_MAX_CHARS = 200  # site furniture is short; longer lines are paragraphs (and each count costs a table write)


def fingerprint(line: str) -> str:
    """A short stable id of a line's text (whitespace folded)."""
    text = " ".join(line.split()).casefold()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def candidate_lines(lines: Iterable[str]) -> list[str]:
    """Lines worth counting: not timestamps (they recur by nature), not tiny, not huge."""
    out = []
    for line in lines:
        text = " ".join(line.split())
        if _MIN_CHARS <= len(text) <= _MAX_CHARS and parse_time_line(text) is None:
            out.append(text)
    return out


def record(article_ids: list[str], article_id: str, threshold: int) -> list[str] | None:
    """The new id list after seeing `article_id`, or None when nothing changes."""
    if article_id in article_ids or len(article_ids) >= threshold:
        return None
    return [*article_ids, article_id]


class LineStore(ABC):
    """Line counts per source; subclasses say where they live (a dict, a Faust table)."""

    def __init__(self, threshold: int = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold

    @abstractmethod
    def get(self, key: str) -> list[str]:
        """Article ids seen with the line `key` (source and fingerprint)."""

    @abstractmethod
    def put(self, key: str, article_ids: list[str]) -> None:
        """Store the article ids of `key`."""

    def observe(self, source: str, article_id: str, lines: Iterable[str]) -> frozenset[str]:
        """Count the lines of one article; return the fingerprints that are boilerplate now."""
        learnt = set()
        for line in set(lines):
            fp = fingerprint(line)
            key = f"{source}\x1f{fp}"
            ids = self.get(key)
            updated = record(ids, article_id, self.threshold)
            if updated is not None:
                self.put(key, updated)
                ids = updated
            if len(ids) >= self.threshold:
                learnt.add(fp)
        return frozenset(learnt)


class MemoryLineStore(LineStore):
    """Line counts in a dict, for the offline command and tests."""

    def __init__(self, threshold: int = DEFAULT_THRESHOLD) -> None:
        super().__init__(threshold)
        self.seen: dict[str, list[str]] = {}

    def get(self, key: str) -> list[str]:
        return self.seen.get(key, [])

    def put(self, key: str, article_ids: list[str]) -> None:
        self.seen[key] = article_ids
