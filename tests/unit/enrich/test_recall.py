"""Names the model missed are found from the words around them, never from lists of names."""

from __future__ import annotations

import re

from streams.enrich.recall import alternation, datelines, missed
from streams.enrich.spans import Mention


def _found(text: str, taken: list[Mention] | None = None) -> list[tuple[str, str]]:
    return [(m.type, text[m.start : m.end]) for m in missed(text, taken or [], lambda name: name == "Wajima")]


def test_speakers_and_titled_names_are_people() -> None:
    assert _found("The envoy, Rahm Emanuel, said talks went on.") == [("person", "Rahm Emanuel")]
    assert _found("Jane Okafor told reporters it was over.") == [("person", "Jane Okafor")]


def test_known_places_after_place_words() -> None:
    assert _found("Fires burned in the centre of Wajima.") == [("place", "Wajima")]
    assert _found("Fires burned in Porthaven.") == []  # not a known place


def test_what_the_model_found_is_left_alone() -> None:
    assert _found("Jane Okafor told reporters.", [Mention("person", 0, 11)]) == []


def test_common_words_are_not_names() -> None:
    assert _found("Police Officers said the road was shut.") == []


def _datelines(text: str) -> list[str]:
    return [text[m.start : m.end] for m in datelines(text, lambda name: name == "Wajima")]


def test_a_known_place_opening_a_dateline_is_a_place() -> None:
    assert _datelines("Storm warning\nWajima 2024-01-02\nSnow fell.") == ["Wajima"]
    assert _datelines("Wajima (Reuters) - Snow fell.") == ["Wajima"]
    assert _datelines("Wajima, Jan 2 -- Snow fell.") == ["Wajima"]
    assert _datelines("Wajima, Ishikawa (AP) - Snow fell.") == ["Wajima"]
    # A single hyphen also opens a team line-up; an unknown place, or a place inside a line, is left alone.
    assert _datelines("Wajima - Ken Sato (31st)") == []
    assert _datelines("Porthaven (Reuters) - Snow fell.") == []
    assert _datelines("Snow fell in Wajima (Reuters) -") == []


def test_a_country_in_brackets_after_a_name_is_a_place() -> None:
    text = "3. Ana Ruiz (Spain) 12.92\n4. Lena Marsh (Kelby Athletic) 12.95, says (Reuters)"
    found = missed(
        text, [Mention("person", 3, 11)], lambda name: False, is_country=lambda name: name == "Spain"
    )
    assert [(m.type, text[m.start : m.end]) for m in found] == [("place", "Spain")]
    # Without a way to tell a country, brackets say nothing.
    assert missed(text, [Mention("person", 3, 11)], lambda name: False) == []


def test_a_datelines_country_vouches_for_the_town_before_it() -> None:
    text = "KELBY FALLS, Tajikistan 2024-06-01\nSPRINGFIELD, Ill. (AP) - Rain.\nSMITH, Jones and Co said."
    found = datelines(text, lambda name: name in {"Tajikistan", "SPRINGFIELD"})
    assert [text[m.start : m.end] for m in found] == ["KELBY FALLS", "Tajikistan", "SPRINGFIELD"]


def test_the_names_pattern_matches_what_a_flat_alternation_would() -> None:
    names = ["Ann", "Anna", "Ann Lee", "Annabel", "Bo", "Bo Dahl", "O'Neill", "Lee"]
    text = "Anna met Ann Lee, Annabel, Bo Dahl and O'Neill; Ann. Bo's Lee Annas"
    flat = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    tree = re.compile(r"\b(" + alternation(names) + r")\b")
    assert [m.span(1) for m in tree.finditer(text)] == [m.span(1) for m in flat.finditer(text)]
    assert [m.group(1) for m in tree.finditer(text)][:4] == ["Anna", "Ann Lee", "Annabel", "Bo Dahl"]
