"""Players and sports lines: which lines of a text are sports coverage, and who plays in them.

A line is sports coverage when a sports cue stands on it or near it, or when it belongs to
a table of rows that add up (`SportsLines`). There, the players of goal lists, team
sheets and scorecards are people whatever the entity model typed them, told by what is
said of them (`listed`): a minute ("Tomas Varga (31st)", a substitute "(Ole Dahl, 48
mins)"), a shirt number ("Kelby - 1 - Piet Aas; 2 - Kim Lund"), a dismissal ("T. Varga c
Aas b Dahl 13"). Outside sports coverage none of these names anyone: "Dinner Party (90
mins)", "1 - Introduction".

Example:
    >>> text = "Soccer: Kelby 2 Westmoor 1\\nKelby - Tomas Varga (31st)"
    >>> lines = SportsLines(text, lambda line: "Soccer" in line)
    >>> [text[m.start : m.end] for m in listed(text, lines, Overlaps([]))]
    ['Tomas Varga']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

from streams.enrich.resources import name_particles
from streams.enrich.spans import Mention, Overlaps

#: A minute of a match: "31st", "41st min", "48 mins", "pen 4th", "78th og" (not a bare "31").
_MINUTE = (
    r"(?:(?:pen|penalty|og) )?\d{1,3}(?:(?:st|nd|rd|th)(?: min(?:ute)?s?)?| min(?:ute)?s?)"
    r"(?:,? (?:pen|penalty|og))?"
)
_PLAYER = rf"[A-Z][\w'’.-]+(?: (?:(?:{name_particles()}) )*[A-Z][\w'’.-]+){{0,3}}"
#: Players a goal list names with a minute: a scorer with the minute in brackets ("Tomas
#: Varga (31st)", "Jan de Brink (pen 4th, 78th)"), a substitute with the minute he came
#: on ("(Ole Dahl, 48 mins)").
_TIMED = (
    re.compile(rf"\b({_PLAYER}) \({_MINUTE}(?:, ?{_MINUTE})*\)"),
    re.compile(rf"\(({_PLAYER}),? {_MINUTE}\)"),
)
#: A shirt number and a name in a team sheet, perhaps the minute he came on: "Kelby - 1 -
#: Piet Aas; 2 - Kim Lund (14 - Ian Roe 87th)".
_SHIRT = re.compile(rf"(?:^|[,;(]| -) ?\d{{1,2}} ?- ?({_PLAYER})(?: {_MINUTE})?(?=\s*[,;()]|\s*$)", re.M)
#: A cricket scorecard's batting line: the batsman, then how he was out, with the fielder and
#: the bowler ("T. Varga c Aas b Dahl 13", "J. Brink lbw b Lund 0").
_BATTING = re.compile(rf"^({_PLAYER}) (?=(?:c and b|lbw|c|b|st|run out|not out)\b)([^\n]*)", re.M)
_FIELDER = re.compile(rf"\b(?:c|b|st) ({_PLAYER})")
# A table row: a name, then numbers (a score, a standing, a scorecard line).
_ROW = re.compile(
    r"\s*[^\W\d_][^\d\n]{0,40}?\s\d[\d\s.,/:()+-]*(?:\s+[^\W\d_][^\d\n]{0,40}?\s\d[\d\s.,/:()+-]*)?$"
)
#: Lines around a sports cue that count as sports coverage too.
_SPORTS_REACH = 2


class SportsLines:
    """Lines of a text that are sports coverage: cues on the line or within `reach` lines of it.

    Decided per line, not per text: a results round-up or a mixed bulletin switches
    subject from one paragraph to the next.

    Example:
        >>> text = "Oil rose.\\nLeeds beat Hull 2-1.\\nRain fell.\\nA\\nB\\nC"
        >>> lines = SportsLines(text, lambda line: "2-1" in line, reach=1)
        >>> [lines.at(i) for i in (0, 10, 44)]
        [True, True, False]
    """

    def __init__(self, text: str, has_cue: Callable[[str], bool], reach: int = _SPORTS_REACH) -> None:
        lines = text.split("\n")
        cues = [has_cue(line) for line in lines]
        self.starts = [0]
        for line in lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.near = [any(cues[max(0, i - reach) : i + reach + 1]) for i in range(len(lines))]
        self._spread_over_tables(lines)

    def _spread_over_tables(self, lines: list[str]) -> None:
        """A table (consecutive rows of a name and numbers) is sports coverage as a whole, or not."""
        self.row_lines: list[tuple[int, int]] = []
        i = 0
        while i < len(lines):
            j = i
            while j < len(lines) and _ROW.match(lines[j]):
                j += 1
            if j - i >= 2 and any(self.near[max(0, i - 1) : j]):
                self.near[i:j] = [True] * (j - i)
            self.row_lines += [
                (self.starts[k], self.starts[k] + len(lines[k])) for k in range(i, j) if self.near[k]
            ]
            i = max(j, i + 1)

    def rows(self) -> list[tuple[int, int]]:
        """The table rows in sports coverage, as (start, end) offsets."""
        return self.row_lines

    def at(self, offset: int) -> bool:
        """Whether the line holding `offset` is sports coverage."""
        return self.near[bisect_right(self.starts, offset) - 1]


def listed(text: str, sports: SportsLines, taken: Overlaps) -> list[Mention]:
    """Players of goal lists, team sheets and scorecards but those already `taken` whole.

    What the model found inside such a name is dropped by the caller; a mention reaching
    past it ("Kelby - Tomas Varga") is not the player's.
    """
    out: list[Mention] = []
    seen: set[tuple[int, int]] = set()
    for start, end in player_spans(text, sports):
        near = taken.within(start, end)
        player = Mention("person", start, end)
        if (
            (start, end) not in seen
            and player not in near
            and not any(t.start < start or end < t.end for t in near)
        ):
            out.append(player)
            seen.add((start, end))
    return out


def player_spans(text: str, sports: SportsLines) -> Iterator[tuple[int, int]]:
    """Where `_TIMED`, `_SHIRT` and `_BATTING` name players, in sports coverage only.

    Elsewhere a minute, a shirt number or "c" and "b" mean something else: "Dinner Party (90
    mins)", "1 - Introduction, 2 - Methods".
    """
    for match in [*_TIMED[0].finditer(text), *_TIMED[1].finditer(text), *_SHIRT.finditer(text)]:
        if sports.at(match.start(1)):
            yield match.span(1)
    for match in _BATTING.finditer(text):
        if sports.at(match.start(1)):
            yield match.span(1)
            yield from (m.span(1) for m in _FIELDER.finditer(text, match.start(2), match.end(2)))
