"""Timestamp lines of live blogs and articles: `16.42 GMT`, `09:14`, `5 March 2024`, `Updated …`.

Example:
    >>> parse_time_line("7:32 p.m. ET, November 6, 2024").label
    '7:32 p.m. ET, November 6, 2024'
    >>> parse_time_line("Putin spoke at 9:14 today.") is None
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_ZONES = {
    "GMT": 0,
    "UTC": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "ET": -5,
    "EST": -5,
    "EDT": -4,
    "PT": -8,
    "PST": -8,
    "PDT": -7,
    "JST": 9,
    "AEDT": 11,
    "AEST": 10,
    "IST": 5.5,
}

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CLOCK = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?"
_ZONE = r"(?P<zone>" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r")"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
_DATE_DMY = rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})"
_DATE_MDY = rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
_PREFIX = r"(?:(?:updated|published|posted|first published|last updated)(?:\s+on|\s+at)?:?\s+)?"


def _alt(*parts: str) -> str:
    """Alternatives whose named groups stay unique (renamed with an index)."""
    out = [re.sub(r"\(\?P<(\w+)>", rf"(?P<\g<1>{i}>", part) for i, part in enumerate(parts)]
    return "|".join(f"(?:{p})" for p in out)


_FORMS = [
    rf"{_CLOCK}(?:\s*{_ZONE})?",
    rf"{_CLOCK}(?:\s*{_ZONE})?,?\s+(?:{_WEEKDAY}\s+)?{_DATE_MDY}",
    rf"{_CLOCK}(?:\s*{_ZONE})?,?\s+(?:{_WEEKDAY}\s+)?{_DATE_DMY}",
    rf"(?:{_WEEKDAY}\s+)?{_DATE_DMY}(?:,?\s+(?:at\s+)?{_CLOCK}(?:\s*{_ZONE})?)?",
    rf"(?:{_WEEKDAY}\s+)?{_DATE_MDY}(?:,?\s+(?:at\s+)?{_CLOCK}(?:\s*{_ZONE})?)?",
]
_LINE = re.compile(rf"^\s*{_PREFIX}(?:{_alt(*_FORMS)})\s*$", re.IGNORECASE)
_RELATIVE = re.compile(
    rf"^\s*{_PREFIX}(?P<n>\d{{1,3}}|an?|one)\s+(?P<unit>min(?:ute)?s?|hours?|hrs?|days?)\s+ago\s*$",
    re.IGNORECASE,
)


_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class TimeLine:
    """A timestamp line: the text as published and what it means, where known."""

    label: str
    published_at: datetime | None


def _groups(match: re.Match[str]) -> dict[str, str]:
    """The matched groups by their base name (the alternatives number their copies)."""
    return {key.rstrip("0123456789"): value for key, value in match.groupdict().items() if value is not None}


def _clock(groups: dict[str, str]) -> time | None:
    hour, minute = groups.get("hour"), groups.get("minute")
    if hour is None or minute is None:
        return None
    h, m = int(hour), int(minute)
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and h < 12:
        h += 12
    elif ampm == "am" and h == 12:
        h = 0
    if h > 23 or m > 59:
        return None
    zone = groups.get("zone")
    offset = timedelta(hours=_ZONES[zone.upper()]) if zone else timedelta(0)
    return time(h, m, tzinfo=timezone(offset))


def _day(groups: dict[str, str]) -> date | None:
    year, month, day = groups.get("year"), groups.get("month"), groups.get("day")
    if not (year and month and day):
        return None
    try:
        return date(int(year), _MONTHS[month.lower().rstrip(".")], int(day))
    except (ValueError, KeyError):
        return None


def parse_time_line(line: str, reference: datetime | None = None) -> TimeLine | None:
    """Read a line that is only a timestamp; None for any other line.

    `reference` (the article's `published_at`) supplies the date of a bare clock time.
    """
    text = line.strip()
    if len(text) > 80:
        return None
    if not _DIGIT.search(text):  # every form has a digit but "an hour ago"
        return TimeLine(text, None) if "ago" in text and _RELATIVE.match(text) else None
    match = _LINE.match(text)
    if match is None:
        return TimeLine(text, None) if _RELATIVE.match(text) else None
    groups = _groups(match)
    clock, day = _clock(groups), _day(groups)
    if clock is None and day is None:
        return None
    if day is None and reference is not None:
        day = reference.date()
    if day is None:
        return TimeLine(text, None)
    at = datetime.combine(day, clock or time(0, 0, tzinfo=UTC))
    return TimeLine(text, at.astimezone(UTC))
