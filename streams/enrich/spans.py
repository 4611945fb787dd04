"""From the entity model's spans to clean, typed mentions: the span repairs.

The model's spans are right about where names are far more often than about where they
end: a span may carry a leading "the", a possessive, the numbers of a results table
("G. Kersey 63"), or stop at an initial ("George W"). A person may come with where they
are from ("Mitch McConnell of Kentucky"). A name may go on after particles the
model left out ("Ursula von der" + "Leyen"). These repairs are about the shape of the
text, not about any name.

Example:
    >>> text = "The NASA chief met George W. Bush's aides; Mitch McConnell of Kentucky agreed."
    >>> spans = [ModelSpan("ORG", 0, 8), ModelSpan("PERSON", 19, 27), ModelSpan("PERSON", 43, 71)]
    >>> [(m.type, text[m.start:m.end]) for m in repair(text, spans)]  # doctest: +NORMALIZE_WHITESPACE
    [('organization', 'NASA'), ('person', 'George W. Bush'),
     ('person', 'Mitch McConnell'), ('place', 'Kentucky')]
    >>> text = "President Ursula von der Leyen spoke."
    >>> [text[m.start:m.end] for m in repair(text, [ModelSpan("PERSON", 10, 24), ModelSpan("GPE", 25, 30)])]
    ['Ursula von der Leyen']
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import NamedTuple

from streams.enrich.ner import ModelSpan
from streams.enrich.resources import name_particles
from streams.enrich.standings import lines_at, scorecard

#: OntoNotes labels -> tag types (NORP, nationalities and groups, is not tagged).
TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}

# What may be cut off either end of a span: spaces, punctuation, numbers (scores, ranks).
_EDGE = " \t\n\"“”‘’'`.,;:!?()[]{}<>|/\\-–—*•#+=%&$€£0123456789"
_LEADING_THE = re.compile(r"(?i)the\s+")
_POSSESSIVE = re.compile(r"['’]s?$")
# An initial ("W.", "J.") right after a span, then a capitalised word: "George W" + ". Bush".
_INITIAL_AFTER = re.compile(r"\.?\s+[A-Z][\w'’-]+")
_INITIAL_END = re.compile(r"(?:^|\s)[A-Z]$")
# Initials right before a span: "G. " + "McGrath", "J. R. R. " + "Tolkien".
_INITIALS_BEFORE = re.compile(r"(?:(?<=\s)|^)(?:[A-Z]\.\s?)+$")
# A name going on after particles the model left out: "Ursula" + " von der Leyen".
_PARTICLES_AFTER = re.compile(rf"(?:\s+(?:{name_particles()}))+\s+[A-Z][\w'’-]+")
_OF_PLACE = re.compile(r"\s+of\s+(?=[A-Z])")
# Words no name ends with: lower-case ones ("Interfax news agency"), ordinals ("Name 79th").
_LOWER_TAIL = re.compile(r"(?:\s+(?:[a-z]|\d+(?:st|nd|rd|th)\b)[\w'’-]*)+\s*$")
# What never stands inside a name: a spaced dash, a line end, a bracket, a number between
# words, the "v" of a fixture ("Hull v Leeds" is two sides, "HULL V LEEDS" recased too).
_SEPARATOR = re.compile(r"\s+[-–—]+\s+|\s*\n\s*|\s*[()]\s*|\s+\d[\d.,:/-]*\s+|\s+(?:vs?\.?|V)\s+")
#: A date right after a name: a dateline ("LONDON 1996-08-30", "Paris, May 3", "Kyiv (Reuters)").
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
DATE_AFTER = re.compile(rf"[ \t,]+(?:\d{{4}}-\d\d-\d\d|\d{{1,2}} {_MONTH}|{_MONTH} \d{{1,2}}\b|\()")
#: A dateline opening a line: a place (group 1), perhaps its state or country (group 2), then a date,
#: a news agency in brackets or a long dash ("LONDON 2024-06-01", "PARIS (Reuters) -",
#: "SPRINGFIELD, Ill. (AP) -", "MIAMI --"); a single hyphen also sets off team line-ups.
DATELINE = re.compile(
    rf"^([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)(?:, ([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?))?,?[ \t]+"
    rf"(?:\d{{4}}-\d\d-\d\d|\d{{1,2}} {_MONTH}|{_MONTH} \d{{1,2}}\b|\([A-Z][\w .'’-]{{0,30}}\)|--|[—―])",
    re.M,
)


class Mention(NamedTuple):
    """A typed name and where it is in the text (character offsets)."""

    type: str
    start: int
    end: int


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without edge punctuation, numbers, a leading "the", a possessive, lower-case tails."""
    while True:
        before = (start, end)
        tail = _LOWER_TAIL.search(text, start, end)
        if tail is not None and tail.start() > start:
            end = tail.start()  # "Interfax news agency" -> "Interfax"
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE and not _is_initial_dot(text, start, end):
            end -= 1
        lead = _LEADING_THE.match(text, start, end)
        if lead is not None and lead.end() < end:
            start = lead.end()
        possessive = _POSSESSIVE.search(text[start:end])
        if possessive is not None and possessive.start() > 0:
            end = start + possessive.start()
        if (start, end) == before:
            return start, end


def _is_initial_dot(text: str, start: int, end: int) -> bool:
    """A span ending "W." keeps its dot when a name follows (handled by `_extend`)."""
    return (
        text[end - 1] == "."
        and end - start >= 2
        and text[end - 2].isupper()
        and (end - start == 2 or text[end - 3] in " .")
    )


def _extend(text: str, start: int, end: int) -> tuple[int, int]:
    """A person's span grown over initials before it, an initial and surname or particles after."""
    before = _INITIALS_BEFORE.search(text, max(0, start - 12), start)
    if before is not None:
        start = before.start()
    if _INITIAL_END.search(text, start, end):
        after = _INITIAL_AFTER.match(text, end)
        if after is not None:
            end = after.end()
    particles = _PARTICLES_AFTER.match(text, end)
    if particles is not None:
        end = particles.end()
    return start, end


def repair(text: str, spans: Sequence[ModelSpan]) -> list[Mention]:
    """Typed mentions of the model's spans, trimmed, grown and split as described above."""
    out: list[Mention] = []
    for span in spans:
        kind = TYPES.get(span.label)
        if kind is None:
            continue
        for part_start, part_end in _parts(text, span.start, span.end):
            start, end = _trim(text, part_start, part_end)
            if kind != "person" and _INITIAL_NAME.match(text, start, end):
                kind = "person"  # "H. Morris": initials and a surname are a person
            if kind == "person":
                start, end = _extend(text, start, end)
                start, end = _trim(text, start, end)
                out.extend(_person_of_place(text, start, end))
            elif start < end:
                out.append(Mention(kind, start, end))
    return _outermost([m for m in out if _is_name(text[m.start : m.end])])


def nationality_countries(
    text: str, spans: Sequence[ModelSpan], is_country: Callable[[str], bool]
) -> list[Mention]:
    """Spans the model labelled a nationality (NORP) that are a country's whole name: places.

    The model reads a country opening a sentence as a nationality now and then
    ("Tajikistan, which borders ..."); "Tajik" stays a nationality, no entity.

    >>> text = "Tajikistan, which borders Tajik lands."
    >>> spans = [ModelSpan("NORP", 0, 10), ModelSpan("NORP", 26, 31)]
    >>> nationality_countries(text, spans, lambda name: name == "Tajikistan")
    [Mention(type='place', start=0, end=10)]
    """
    return [
        Mention("place", span.start, span.end)
        for span in spans
        if span.label == "NORP" and is_country(text[span.start : span.end])
    ]


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Mentions that no longer one contains ("Leyen" inside "Ursula von der Leyen")."""
    index = Overlaps(mentions)
    return [m for m in mentions if not any(o != m for o in index.containing(m.start, m.end))]


class Overlaps:
    """Which of some mentions overlap a span, found by bisection: a results page has thousands."""

    def __init__(self, mentions: list[Mention]) -> None:
        self._found = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self._found]
        self._longest = max((m.end - m.start for m in self._found), default=0)

    def add(self, mention: Mention) -> None:
        """Count `mention` in from now on."""
        i = bisect_right(self._starts, mention.start)
        self._found.insert(i, mention)
        self._starts.insert(i, mention.start)
        self._longest = max(self._longest, mention.end - mention.start)

    def within(self, start: int, end: int) -> list[Mention]:
        """The mentions that share a character with [start, end).

        >>> Overlaps([Mention("person", 0, 5), Mention("place", 10, 14)]).within(4, 11)
        [Mention(type='person', start=0, end=5), Mention(type='place', start=10, end=14)]
        """
        # Only mentions starting less than the longest one before `start` can reach into it.
        near = self._found[bisect_left(self._starts, start - self._longest) : bisect_left(self._starts, end)]
        return [t for t in near if start < t.end]

    def containing(self, start: int, end: int) -> list[Mention]:
        """The mentions that hold all of [start, end), itself among them if counted in.

        >>> Overlaps([Mention("person", 0, 9), Mention("place", 4, 6)]).containing(4, 9)
        [Mention(type='person', start=0, end=9)]
        """
        return [t for t in self.within(start, end) if t.start <= start and end <= t.end]


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut where a name cannot go on (`_SEPARATOR`)."""
    cuts = [m.span() for m in _SEPARATOR.finditer(text, start, end)]
    bounds = [start, *(x for cut in cuts for x in cut), end]
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]


def _is_name(surface: str) -> bool:
    """Letters, and not a table header of abbreviations ("W L PCT GB")."""
    words = surface.split()
    if not any(c.isalpha() for c in surface) or surface[0].islower():
        return False  # a product ("iPhone"), or no word at all
    return len(words) < 3 or any(len(word) > 3 for word in words)


def _person_of_place(text: str, start: int, end: int) -> list[Mention]:
    """ "Mitch McConnell of Kentucky" -> the person and the place; other spans unchanged."""
    of = _OF_PLACE.search(text, start, end)
    if of is None or of.start() == start:
        return [Mention("person", start, end)] if start < end else []
    return [Mention("person", start, of.start()), Mention("place", of.end(), end)]


# In a table row, the names that lead it or follow a number: "Bolton 2 Tranmere 1",
# "Stoke 4 3 1 0 7 4 10", "G. McGrath not out 8". A name is capitalised words, with
# initials and short connectors inside ("Queen of the South", "St Mirren").
_ROW_NAME = re.compile(
    r"(?:^|(?<=\d )|(?<=\d\) ))\s*"
    r"((?:[A-Z]\.\s?)*[A-Z][\w'’.-]*(?:\s(?:(?:of|the|de|la|del|van|von)\s)*[A-Z][\w'’.-]*)*)"
    r"(?=[^\n\d]{0,12}\d)",
    re.M,
)
_INITIAL_NAME = re.compile(r"(?:[A-Z]\.\s?)+[A-Z][\w'’-]+$")


def row_mentions(text: str, rows: Sequence[tuple[int, int]], taken: Sequence[Mention]) -> list[Mention]:
    """Names in the table rows `rows` (start, end offsets) that no model span covers.

    A name with initials is a person ("G. McGrath"); any other is a side, an organisation
    (a country among them is resolved to the country later).

    Example:
        >>> text = "Bolton 2 Tranmere 1\\nG. McGrath not out 8"
        >>> [(m.type, text[m.start:m.end]) for m in row_mentions(text, [(0, 19), (20, 40)], [])]
        [('organization', 'Bolton'), ('organization', 'Tranmere'), ('person', 'G. McGrath')]
    """
    out: list[Mention] = []
    index = Overlaps(list(taken))
    for start, end in rows:
        for match in _ROW_NAME.finditer(text, start, end):
            m_start, m_end = match.span(1)
            if index.within(m_start, m_end) or DATE_AFTER.match(text, m_end):
                continue
            kind = "person" if _INITIAL_NAME.match(text, m_start, m_end) else "organization"
            out.append(Mention(kind, m_start, m_end))
    return out


def scorecard_mentions(text: str) -> list[Mention]:
    """The grounds (places) and sides (organisations) of the cricket scorecard lines in `text`.

    They stand for whatever the model made of those words: "Tunbridge Wells" read as a
    person is the ground, "Hampshire" read as a person a side.

    >>> text = "Hove: Kelby 363 (A. Dale 111), Westmoor 197-8"
    >>> [(m.type, text[m.start:m.end]) for m in scorecard_mentions(text)]
    [('place', 'Hove'), ('organization', 'Kelby'), ('organization', 'Westmoor')]
    """
    out: list[Mention] = []
    for start, line in lines_at(text):
        grounds, sides = scorecard(line)
        out.extend(Mention("place", start + a, start + b) for a, b in grounds)
        out.extend(Mention("organization", start + a, start + b) for a, b in sides)
    return out


def side_mentions(spans: Sequence[tuple[int, int]], taken: Sequence[Mention]) -> list[Mention]:
    """Sides at `spans` (start, end offsets) that no mention of `taken` touches, as organisations.

    >>> side_mentions([(0, 5), (8, 12)], [Mention("person", 9, 12)])
    [Mention(type='organization', start=0, end=5)]
    """
    index = Overlaps(list(taken))
    return [Mention("organization", a, b) for a, b in spans if not index.within(a, b)]
