"""Upper-case lines rewritten in the case the rest of the text uses, for the entity model.

Statistical taggers learn names from capitals: a headline in capitals ("CRICKET -
LEICESTERSHIRE TAKE OVER AT TOP") or a dateline ("LONDON 1996-08-30") reads to them as
a run of names, and the place of a dateline that opens a paragraph ("KAMPALA (Reuters) -
Heavy rain ...") as an organisation. Each word of such a line (of such a place) takes the
case it has elsewhere in the same text (lower for words written lower, capitalised for
names, kept for acronyms). A word seen nowhere else is capitalised when it names a known
place, lower-cased when it is a common English word, kept in capitals when it is short
enough to be an acronym, and capitalised otherwise (a name). Only letters change case,
so every character offset into the result is an offset into the original.

Example:
    >>> text = "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP\\nLONDON 1996-08-30\\nLeicestershire beat Somerset."
    >>> common = frozenset({"cricket", "take", "over", "at", "top"})
    >>> print(truecase(text, places=frozenset({"London"}), common=common))
    Cricket - Leicestershire take over at top
    London 1996-08-30
    Leicestershire beat Somerset.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container

from streams.enrich.spans import DATELINE

_WORD = re.compile(r"[^\W\d_]+")
#: A line is shouted when this share of its cased letters are capitals (and it has enough).
_SHOUTED_SHARE = 0.8
_MIN_LETTERS = 4
#: A word seen nowhere else keeps its capitals when this short ("UN", "KDP"): likely an acronym.
_ACRONYM_MAX = 3


def shouted(line: str) -> bool:
    """Whether a line is written in capitals (a headline, a dateline, a table row)."""
    upper = lower = 0
    for char in line:
        if char.isupper():
            upper += 1
        elif char.islower():
            lower += 1
    return upper + lower >= _MIN_LETTERS and upper >= _SHOUTED_SHARE * (upper + lower)


def _evidence(lines: list[str]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """How often each word (lower-cased) is written lower, capitalised and in capitals."""
    low: Counter[str] = Counter()
    cap: Counter[str] = Counter()
    caps: Counter[str] = Counter()
    for line in lines:
        for word in _WORD.findall(line):
            key = word.lower()
            if word.islower():
                low[key] += 1
            elif word.isupper() and len(word) > 1:
                caps[key] += 1
            elif word[0].isupper():
                cap[key] += 1
    return low, cap, caps


_PAIR = re.compile(r"(?=\b([^\W\d_]+) ([^\W\d_]+)\b)")


def _known_names(recased: str, original: str, places: Container[str]) -> str:
    """Two words that together name a known place are capitalised ("Kansas City")."""
    for match in _PAIR.finditer(original):
        first, second = match.group(1), match.group(2)
        title = f"{first[0]}{first[1:].lower()} {second[0]}{second[1:].lower()}"
        if title in places:
            start = match.start(1)
            recased = recased[:start] + title + recased[start + len(title) :]
    return recased


def _capital_dateline(line: str, places: Container[str]) -> int:
    """The end of the known place in capitals that opens `line` as a dateline, or 0."""
    match = DATELINE.match(line)
    head = match.group(1) if match is not None else ""
    return len(head) if head.isupper() and head.title() in places else 0


def truecase(text: str, places: Container[str] = frozenset(), common: Container[str] = frozenset()) -> str:
    """`text` with every shouted line, and every dateline's place in capitals, in the case the rest uses.

    The result has the same length as `text`.
    """
    lines = text.split("\n")
    flags = [shouted(line) for line in lines]
    heads = [_capital_dateline(line, places) for line in lines]
    if not any(flags) and not any(heads):
        return text
    low, cap, caps = _evidence(
        [line[head:] for line, flag, head in zip(lines, flags, heads, strict=True) if not flag]
    )

    def recase(match: re.Match[str]) -> str:
        word = match.group()
        key = word.lower()
        if caps[key] > low[key] + cap[key]:
            return word  # an acronym the text writes in capitals ("NATO")
        if low[key] > cap[key]:
            return key
        if cap[key]:
            return word[0] + word[1:].lower()
        title = word[0] + word[1:].lower()
        if title in places:
            return title
        if key in common:
            return key
        if len(word) <= _ACRONYM_MAX:
            return word
        return title

    out = []
    for line, flag, head in zip(lines, flags, heads, strict=True):
        if head and not flag:  # only the dateline's place: the paragraph after it is in its own case
            line = _known_names(_WORD.sub(recase, line[:head]), line[:head], places) + line[head:]
        if flag:
            line = _known_names(_WORD.sub(recase, line), line, places)
            first = _WORD.search(line)
            if first is not None and first.group().islower():  # a line starts with a capital
                line = line[: first.start()] + line[first.start()].upper() + line[first.start() + 1 :]
        out.append(line)
    return "\n".join(out)
