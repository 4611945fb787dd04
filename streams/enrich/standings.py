"""Rows of sports tables told by their own arithmetic: league standings, result lines, ranked results.

A results round-up is often cut off from its heading ("SOCCER - SCOTTISH LEAGUE
STANDINGS") and carries no sports word at all, only names and numbers. Such a row still
proves what it is when its numbers add up:

- a league table row, "Hull 4 2 2 0 4 2 8": played, won, drawn, lost, then goals for
  and against (and points), where won + drawn + lost = played;
- a won-lost row, "Cleveland 80 53 .602": won, lost and the winning share, which is
  won / (won + lost) to the rounding printed (also when a scraper fused the lost column
  with the share, "53.602"); a team's or a pitcher's;
- a result line, "Bolton 2 Tranmere 1": two names, each with a score, and nothing else;
- a ranked result, "4. Ana Ruiz (Spain) 4:09.25": a rank, a competitor, a bracket and a
  result, which counts beside another whose rank follows on (`sports_rows`);
- a cricket scorecard line, "Hove: Kelby 363 (A. Dale 111), Westmoor 197-8": perhaps the
  ground, then two sides, each with its innings (runs, the wickets down when not all out,
  a second innings after "and") and its best figures in brackets; a wicket count or a
  second innings tells it from other pairs of names and figures ("Kelby 32, Westmoor 20").

Numbers that add up by chance are rare at these lengths: a share to three places must
match, and a table row needs six numbers of which four agree.

Example:
    >>> [sports_row(line) for line in ("Hull 4 2 2 0 4 2 8", "Germany 4 2 1 3 5 2", "Bury 4 Bristol City 0")]
    [True, False, True]
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

_NAME = r"[A-Z][\w'’.&-]*(?:[ ](?:[a-z]{1,3}[ ])*[A-Z(][\w'’.&()-]*)*"
_TABLE = re.compile(rf"\s*{_NAME}((?:\s+\d{{1,3}}){{6,8}})\s*$")
_WON_LOST = re.compile(rf"\s*{_NAME}\s+(\d{{1,3}})\s+(\d{{1,3}})?\s*(0?\.\d{{3}}|1\.000)\b")
_RESULT = re.compile(rf"\s*({_NAME})\s+\d{{1,3}}\s+({_NAME})\s*\d{{1,3}}(?:\s*\([^()]*\))?\s*$")
#: A fixture: two sides and "at" or "v" between, the whole line ("Kelby at Westmoor").
_FIXTURE = re.compile(
    r"\s*([A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*){0,3})\s+(at|AT|At|v|vs\.?)\s+"
    r"([A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*){0,3})\s*$"
)
#: A ranked result: rank (a tie "1="), a competitor, a bracket (country, club), a result.
_RANKED = re.compile(
    r"\s*(\d{1,3})(?:[.)]|=)?\s+[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*){0,3}"
    r"\s*\([A-Z][^()\n]{1,40}\)\s+\d"
)
#: How far the next rank of a results list may be: ties skip ranks ("1=", "1=", "3.").
_RANK_STEP = 2
#: A side named right before or after the "v" of a fixture: "Postponed: Kelby v Westmoor".
_VERSUS_WORD = r"(?:[A-Z][a-z]{0,2}\.|[A-Z][\w'’&-]*)"  # a stop only after a short word: "St. Pauli"
_VERSUS_SIDE = rf"{_VERSUS_WORD}(?: {_VERSUS_WORD}){{0,3}}"
_VERSUS = re.compile(rf"(?:({_VERSUS_SIDE}) )?\b(?:v|vs)\.? (?=[A-Z])({_VERSUS_SIDE})?")
#: A cricket scorecard line (see the module docstring): the ground, then two sides.
_INNINGS = r"\d{1,3}(?:-\d{1,2})?(?: \([^()\n]*\))?"
_SIDE_INNINGS = rf"({_NAME}) {_INNINGS}(?: and {_INNINGS})?"
_SCORECARD = re.compile(
    rf"\s*(?:(?:At )?([^:()\n]{{1,30}}?)(?: \(([A-Z][^()\n]{{0,30}})\))?: )?"
    rf"{_SIDE_INNINGS}, {_SIDE_INNINGS}\.?\s*$"
)
#: What only an innings has: wickets down ("197-8") or a second innings ("83 and 174").
_CRICKET_ONLY = re.compile(r"\d-\d| and \d")
_BRACKETED = re.compile(r"\([^()\n]*\)")
#: A ground is a name, its words capitalised; another label is not ("Close of play: ...").
_GROUND = re.compile(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}")
#: Month names lead date lines ("May 15 June 2"), not result lines.
_MONTHS = frozenset(calendar.month_name[1:]) | frozenset(calendar.month_abbr[1:])
#: How far a printed share may be from won / (won + lost): half of its last place.
_SHARE_ROUNDING = 0.0005


def sports_row(line: str) -> bool:
    """Whether `line` is a row of a league table, a won-lost table or a result line.

    >>> sports_row("Cleveland 80 53 .602"), sports_row("KANSAS CITY 61 74.452 20")
    (True, True)
    >>> sports_row("Oil 80 53 .100"), sports_row("May 15 June 2")
    (False, False)
    """
    return _league_row(line) or _won_lost_row(line) or _result_line(line)


def sides_row(line: str) -> bool:
    """Whether `line` is a row that only teams lead: a league table row or a result line.

    A won-lost row may be a pitcher's record too ("Greg Maddux 15 9 .625").

    >>> sides_row("Hull 4 2 2 0 4 2 8"), sides_row("Greg Maddux 15 9 .625")
    (True, False)
    """
    return _league_row(line) or _result_line(line)


def row_leads(text: str) -> frozenset[int]:
    """The offsets in `text` where a league table row or a result line begins (`sides_row`).

    >>> sorted(row_leads("Standings\\nHull 4 2 2 0 4 2 8\\n  Bury 4 York 0"))
    [10, 31]
    """
    leads = set()
    for start, line in lines_at(text):
        if sides_row(line):
            leads.add(start + len(line) - len(line.lstrip()))
        leads.update(start + side for side, _ in scorecard(line)[1])
    return frozenset(leads)


def lines_at(text: str) -> Iterator[tuple[int, str]]:
    """Each line of `text` with the offset where it begins.

    >>> list(lines_at("Hull 2\\nBury 0"))
    [(0, 'Hull 2'), (7, 'Bury 0')]
    """
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def scorecard(line: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The ground (and its town) and the two sides of a cricket scorecard line, as offsets in `line`.

    >>> line = "At Kelby Park (Kelby): Kelby 363 (A. Dale 111), Westmoor 197-8"
    >>> grounds, sides = scorecard(line)
    >>> [line[a:b] for a, b in grounds], [line[a:b] for a, b in sides]
    (['Kelby Park', 'Kelby'], ['Kelby', 'Westmoor'])
    >>> scorecard("Close of play: Kelby 259-4, Westmoor 101")
    ([], [(15, 20), (28, 36)])
    >>> scorecard("Kelby 32 (A. Dale 12 rebounds), Westmoor 20")
    ([], [])
    """
    match = _SCORECARD.match(line)
    if match is None or not _CRICKET_ONLY.search(_BRACKETED.sub("", line)):
        return [], []
    label = match.group(1)
    named = label is not None and _GROUND.fullmatch(label) is not None
    grounds = [match.span(i) for i in (1, 2) if named and match.group(i) is not None]
    return grounds, [match.span(3), match.span(4)]


def versus_sides(text: str) -> list[tuple[int, int]]:
    """Where the names right before and after a "v" or "vs" stand: the sides of a fixture.

    A fixture need not fill its line ("Postponed: Kelby v Westmoor, Hull v Bury") nor name
    both sides ("May 17 v Westmoor").

    >>> text = "Postponed: Kelby v Westmoor. May 17 v Bury Town"
    >>> [text[a:b] for a, b in versus_sides(text)]
    ['Kelby', 'Westmoor', 'Bury Town']
    """
    return [match.span(i) for match in _VERSUS.finditer(text) for i in (1, 2) if match.group(i) is not None]


def fixture_line(line: str) -> bool:
    """Whether `line` is a fixture and nothing else: two sides with "at" or "v" between.

    >>> fixture_line("Kansas City at Detroit"), fixture_line("Talks resumed at Geneva")
    (True, False)
    """
    return _fixture(line) is not None


def fixtures(lines: list[str]) -> list[bool]:
    """For each line, whether it is a fixture beside another one: a schedule.

    One line like "Talks at Geneva" may be a headline; two in a row are a schedule.

    >>> fixtures(["Talks at Geneva", "Rain later.", "Bury at York", "Hull v Leeds"])
    [False, False, True, True]
    """
    return _beside([fixture_line(line) for line in lines])


def fixture_sides(text: str) -> frozenset[int]:
    """The offsets in `text` where a side of a fixture line begins.

    Both names of "Hull v Leeds" are sides; in "Bury at York" the visitors are, and York
    is where the game is played: the place.

    >>> sorted(fixture_sides("Schedule\\nBury at York\\nHull v Leeds"))
    [9, 22, 29]
    """
    sides = set()
    for start, line in lines_at(text):
        if (match := _fixture(line)) is not None:
            sides.add(start + match.start(1))
            if match.group(2).lower() != "at":
                sides.add(start + match.start(3))
    return frozenset(sides)


def _fixture(line: str) -> re.Match[str] | None:
    """The fixture `line` is, unless its first name is a month's (a date line, "May 15")."""
    match = _FIXTURE.match(line)
    return match if match is not None and match.group(1).split()[0] not in _MONTHS else None


def _beside(flags: list[bool]) -> list[bool]:
    """Each flag that is set beside another set one: a line of a kind counting only in a run."""
    return [
        flag and ((i > 0 and flags[i - 1]) or (i + 1 < len(flags) and flags[i + 1]))
        for i, flag in enumerate(flags)
    ]


def sports_rows(lines: list[str]) -> list[bool]:
    """`sports_row` for each line, a result line or a ranked result counting only beside another.

    A table row proves itself by its sums; one line of two names and two numbers may be
    anything ("London 12 Paris 14" in a weather report), two in a row are results. So are
    two ranked lines of a competitor, a bracket and a result whose ranks follow on ("4. Ana Ruiz
    (Spain) 4:09.25", "5. Lea Holm (Norway) 4:09.95").

    >>> sports_rows(["London 12 Paris 14", "Rain later.", "Bury 4 York 0", "Luton 1 Crewe 0"])
    [False, False, True, True]
    >>> sports_rows(["4. Ana Ruiz (Spain) 4:09.25", "5. Lea Holm (Norway) 4:09.95", "9. Al (UK) 2"])
    [True, True, False]
    """
    results = _beside([_result_line(line) for line in lines])
    ranks = [_rank(line) for line in lines]
    return [
        (_league_row(line) or _won_lost_row(line) or bool(scorecard(line)[1]))
        or results[i]
        or (i > 0 and _follows(ranks[i - 1], ranks[i]))
        or (i + 1 < len(lines) and _follows(ranks[i], ranks[i + 1]))
        for i, line in enumerate(lines)
    ]


def _rank(line: str) -> int | None:
    """The rank of a ranked result line ("3. Carla Lind (Sweden) 4:08.96"), else None."""
    match = _RANKED.match(line)
    return int(match.group(1)) if match else None


def _follows(rank: int | None, after: int | None) -> bool:
    """Whether rank `after` can come next to `rank` in one results list."""
    return rank is not None and after is not None and 0 <= after - rank <= _RANK_STEP


def _league_row(line: str) -> bool:
    """Played, won, drawn, lost, for, against (and points), where won + drawn + lost = played."""
    match = _TABLE.match(line)
    if match is None:
        return False
    played, won, drawn, lost = (int(n) for n in match.group(1).split()[:4])
    return played > 0 and won + drawn + lost == played


def _won_lost_row(line: str) -> bool:
    """Won, lost and the share won / (won + lost), also with lost and share fused ("74.452")."""
    match = _WON_LOST.match(line)
    if match is None:
        return False
    won, lost, share = match.group(1), match.group(2), match.group(3)
    if lost is None:  # "61 74.452": the lost column and the share without a space between
        fused = re.fullmatch(r"(\d{1,3})(\.\d{3})", share)
        if fused is None:
            return False
        lost, share = fused.group(1), fused.group(2)
    games = int(won) + int(lost)
    return games > 0 and abs(int(won) / games - float(share)) <= _SHARE_ROUNDING


def _result_line(line: str) -> bool:
    """Two names, each followed by a score, and nothing else but a bracket ("(halftime 1-1)")."""
    match = _RESULT.match(line)
    if match is None:
        return False
    first, second = match.group(1), match.group(2)
    return first != second and not {first.split()[0], second.split()[0]} & _MONTHS
