"""The model's spans are repaired by the shape of the text; table rows give their names."""

from __future__ import annotations

import pytest

from streams.enrich.ner import ModelSpan
from streams.enrich.spans import (
    Mention,
    nationality_countries,
    repair,
    row_mentions,
    scorecard_mentions,
    side_mentions,
)


def _repaired(text: str, label: str, surface: str) -> list[tuple[str, str]]:
    start = text.index(surface)
    return [
        (m.type, text[m.start : m.end]) for m in repair(text, [ModelSpan(label, start, start + len(surface))])
    ]


@pytest.mark.parametrize(
    ("text", "label", "surface", "expected"),
    [
        ("Gains for the Apex Bank's shares.", "ORG", "the Apex Bank's", [("organization", "Apex Bank")]),
        ("G. Kersey 63 not out", "PERSON", "Kersey 63", [("person", "G. Kersey")]),
        ("President George W. Bush spoke.", "PERSON", "George W", [("person", "George W. Bush")]),
        ("Ursula von der Leyen spoke.", "PERSON", "Ursula von der", [("person", "Ursula von der Leyen")]),
        ("Karine Jean-Pierre said.", "PERSON", "Karine Jean-Pierre", [("person", "Karine Jean-Pierre")]),
        (
            "Senator Mitch McConnell of Kentucky said.",
            "PERSON",
            "Mitch McConnell of Kentucky",
            [("person", "Mitch McConnell"), ("place", "Kentucky")],
        ),
        (
            "Reports from Interfax news agency said.",
            "ORG",
            "Interfax news agency",
            [("organization", "Interfax")],
        ),
        (
            "ROMANIA - Cosmin Dala scored",
            "ORG",
            "ROMANIA - Cosmin Dala",
            [("organization", "ROMANIA"), ("organization", "Cosmin Dala")],
        ),
        ("H. Morris 69 for Glamorgan", "ORG", "H. Morris 69", [("person", "H. Morris")]),
        ("Kelby 1 (Tomas Varga 79th)", "PERSON", "Tomas Varga 79th", [("person", "Tomas Varga")]),
        (
            "Postponed: Kelby v Westmoor",
            "PERSON",
            "Kelby v Westmoor",
            [("person", "Kelby"), ("person", "Westmoor")],
        ),
        (
            "Cricket - England V Pakistan Scoreboard",
            "ORG",
            "England V Pakistan",
            [("organization", "England"), ("organization", "Pakistan")],
        ),
        ("W L PCT GB", "ORG", "W L PCT GB", []),
        ("Apple's iPhone sold.", "ORG", "iPhone", []),
        ("1996-08-30", "GPE", "1996-08-30", []),
    ],
)
def test_repairs(text: str, label: str, surface: str, expected: list[tuple[str, str]]) -> None:
    assert _repaired(text, label, surface) == expected


def test_labels_outside_people_organisations_places_are_ignored() -> None:
    assert repair("Russian troops", [ModelSpan("NORP", 0, 7), ModelSpan("DATE", 8, 14)]) == []


def test_row_names_not_already_covered() -> None:
    text = "Porthaven 2 Eastmouth Rovers 1\nJ. Smith 4-38\nLondon 1996-08-30"
    rows = [(0, 30), (31, 44), (45, 62)]
    found = row_mentions(text, rows, [Mention("organization", 0, 9)])
    assert [(m.type, text[m.start : m.end]) for m in found] == [
        ("organization", "Eastmouth Rovers"),
        ("person", "J. Smith"),
    ]


def test_a_country_the_model_read_as_a_nationality_is_a_place() -> None:
    text = "Tajikistan, which borders Tajik lands, voted."
    spans = [ModelSpan("NORP", 0, 10), ModelSpan("NORP", 26, 31)]
    assert nationality_countries(text, spans, {"Tajikistan"}.__contains__) == [Mention("place", 0, 10)]


def test_a_scorecards_ground_is_a_place_and_its_sides_organisations() -> None:
    text = (
        "Cricket:\nKelby Wells: Kelby 259 and 207 (A. Dale 69), Westmoor 114 (R. Pask 4-28) and 81-3.\n"
        "At The Green (Porthaven): Harlow 195, Eastmouth 429-7."
    )
    found = [(m.type, text[m.start : m.end]) for m in scorecard_mentions(text)]
    assert found == [
        ("place", "Kelby Wells"), ("organization", "Kelby"), ("organization", "Westmoor"),
        ("place", "The Green"), ("place", "Porthaven"),
        ("organization", "Harlow"), ("organization", "Eastmouth"),
    ]  # fmt: skip


def test_sides_already_covered_are_left_to_their_mention() -> None:
    taken = [Mention("organization", 0, 5), Mention("person", 20, 26)]
    assert side_mentions([(0, 5), (9, 17), (18, 28)], taken) == [Mention("organization", 9, 17)]


def test_a_scorecard_label_that_is_no_name_is_no_ground() -> None:
    text = "Close of play: Kelby 259-4, Westmoor 101"
    found = [(m.type, text[m.start : m.end]) for m in scorecard_mentions(text)]
    assert found == [("organization", "Kelby"), ("organization", "Westmoor")]
