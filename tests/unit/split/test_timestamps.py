"""Timestamp lines in the forms publishers use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.split.timestamps import parse_time_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("16.42 GMT", None),
        ("09:14", None),
        ("7:32 p.m. ET, November 6, 2024", datetime(2024, 11, 7, 0, 32, tzinfo=UTC)),
        ("Updated 5 March 2024", datetime(2024, 3, 5, tzinfo=UTC)),
        ("Tue 2 Jan 2024 09.14 GMT", datetime(2024, 1, 2, 9, 14, tzinfo=UTC)),
        ("2 hours ago", None),
    ],
)
def test_time_lines(line: str, expected: datetime | None) -> None:
    stamp = parse_time_line(line)
    assert stamp is not None and stamp.label == line
    assert stamp.published_at == expected


def test_clock_time_takes_the_reference_date() -> None:
    stamp = parse_time_line("16.42 GMT", reference=datetime(2024, 11, 7, 8, 0, tzinfo=UTC))
    assert stamp is not None and stamp.published_at == datetime(2024, 11, 7, 16, 42, tzinfo=UTC)


@pytest.mark.parametrize("line", ["Putin spoke at 9:14 today.", "1.5bn", "March madness", "25:99"])
def test_prose_is_not_a_timestamp(line: str) -> None:
    assert parse_time_line(line) is None
