"""Sports table rows are told by their arithmetic, not by a sports word nearby."""

from __future__ import annotations

import pytest

from streams.enrich.standings import (
    fixture_line,
    fixture_sides,
    fixtures,
    row_leads,
    scorecard,
    sports_row,
    sports_rows,
    versus_sides,
)


@pytest.mark.parametrize(
    "line",
    [
        "Porthaven 4 2 1 1 8 5 7",  # played, won, drawn, lost, for, against, points
        "Kingsbridge Athletic 3 0 1 2 2 6 1",
        "Queen of the Isles 2 2 0 0 5 1 6",
        "Mereton (N) 5 1 2 2 6 8 5",
        "Eastmouth 80 53 .602",  # won, lost, share
        "WESTBAY 61 74 .452 20",
        "Northfield 61 74.452 20",  # the lost column fused with the share by a scraper
        "Harlow 9 7 0.563",
    ],
)
def test_rows_whose_numbers_add_up_are_sports_rows(line: str) -> None:
    assert sports_row(line)


@pytest.mark.parametrize(
    "line",
    [
        "Porthaven 4 2 1 3 8 5 7",  # won + drawn + lost is not played
        "Eastmouth 80 53 .700",  # the share is not won / (won + lost)
        "Inflation 2.1 2.3 .456",
        "Census 2010 2020 2030 4 5 6",
        "Shares rose 12 percent to 5 dollars",
        "W L PCT GB",
        "May 15 June 2",
    ],
)
def test_other_lines_are_not(line: str) -> None:
    assert not sports_row(line)


def test_a_result_line_counts_only_beside_another() -> None:
    lines = [
        "Porthaven 12 Eastmouth 14",
        "Showers later.",
        "Westbay 2 Northfield 1",
        "Harlow 0 Mereton 3 (halftime 0-1)",
    ]
    assert sports_rows(lines) == [False, False, True, True]


def test_ranked_results_count_when_their_ranks_follow_on() -> None:
    lines = [
        "Women's 800 metres",
        "1= Maren Olsby (Norway) 2:01.40",
        "1= Ilka Torvan (Estonia) 2:01.40",
        "3. Dora Kelemen (Hungary) 2:02.15",
        "Shares of the index:",
        "4. Parvel Holdings (Canada) 12.5",
        "9. Kessel Group (Austria) 8.1",
    ]
    assert sports_rows(lines) == [False, True, True, True, False, False, False]


def test_one_ranked_line_is_not_a_results_list() -> None:
    assert sports_rows(["2. Tomas Verlo (Chile) 66.24", "Prices rose 2 percent."]) == [False, False]


def test_two_fixture_lines_are_a_schedule_and_name_their_sides() -> None:
    text = "Talks at Geneva\nSchedule\nKelby at Westmoor\nPorthaven v Eastmouth\nMay at Noon"
    assert fixtures(text.split("\n")) == [False, False, True, True, False]
    # The visitors and both sides of a "v" are sides; the home of an "at" fixture is the venue.
    # A lone line of that shape counts too: the tagger asks only on lines of sports coverage.
    assert sorted(fixture_sides(text)) == [0, 25, 43, 55]
    assert not fixture_line("The talks resumed at Geneva")


@pytest.mark.parametrize(
    ("line", "sides"),
    [
        ("Westmoor: Kelby 259 and 207 (A. Dale 69; R. Pask 4-43), Porthaven 114 (S. Lund 4-28) and 81-3.",
         ["Kelby", "Porthaven"]),
        ("Eastmouth (The Green): Harlow 195, North Kelby 429-7 (C. Aas 80 not out, M. Roe 70).",
         ["Harlow", "North Kelby"]),
        ("Kelby 83 and 174 (P. Sims 4-38), Westmoor 296.", ["Kelby", "Westmoor"]),
    ],
)  # fmt: skip
def test_a_cricket_scorecard_line_names_its_sides(line: str, sides: list[str]) -> None:
    assert [line[a:b] for a, b in scorecard(line)[1]] == sides
    assert row_leads(line) == frozenset(line.index(side) for side in sides)
    assert sports_rows([line]) == [True]


@pytest.mark.parametrize(
    "line",
    [
        "Kelby 32 (A. Dale 12 rebounds), Westmoor 20",  # points in a box score: no innings
        "Kelby 22 points, Westmoor 4.",
        "Votes: Kelby 1,204, Westmoor 998.",
    ],
)
def test_other_pairs_of_names_and_figures_are_no_scorecard(line: str) -> None:
    assert scorecard(line) == ([], [])


def test_the_names_around_a_v_are_sides() -> None:
    text = "Postponed: Kelby v Westmoor, St. Ives vs. Porthaven\nMay 17 v North Kelby at Harlow"
    assert [text[a:b] for a, b in versus_sides(text)] == [
        "Kelby",
        "Westmoor",
        "St. Ives",
        "Porthaven",
        "North Kelby",
    ]
    assert versus_sides("Prices rose 5 v 4 percent; vitamin v") == []
