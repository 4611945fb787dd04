"""Shouted lines take the case the rest of the text uses; offsets never move."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from streams.enrich.casing import shouted, truecase

COMMON = frozenset({"storm", "hits", "the", "coast", "after", "floods", "results"})


def test_words_take_the_case_of_the_body() -> None:
    text = "STORM HITS DEVON COAST AFTER FLOODS\nThe storm hit Devon on Monday."
    assert truecase(text, common=COMMON).splitlines()[0] == "Storm hits Devon coast after floods"


def test_unknown_words_are_names_and_short_ones_acronyms() -> None:
    text = "SOCCER RESULTS: PORTHAVEN BEAT KDP\nbody in lower case only."
    first = truecase(text, common=COMMON | {"beat", "soccer"}).splitlines()[0]
    assert first == "Soccer results: Porthaven beat KDP"


def test_acronyms_written_in_capitals_elsewhere_stay() -> None:
    text = "NATO SUMMIT OPENS\nNATO leaders met in the capital."
    assert truecase(text, common=frozenset({"summit", "opens"})).startswith("NATO summit opens")


def test_known_places_and_two_word_places() -> None:
    text = "KANSAS CITY 1996-08-30\nLONDON 1996-08-30\nnothing else here."
    out = truecase(text, places=frozenset({"Kansas City", "London"}), common=frozenset({"city"}))
    assert out.splitlines()[:2] == ["Kansas City 1996-08-30", "London 1996-08-30"]


def test_the_place_of_a_dateline_opening_a_paragraph_is_recased_alone() -> None:
    places = frozenset({"Porthaven", "New Harbour"})
    text = "PORTHAVEN (Reuters) - Storm hits the coast, the ECB said."
    assert truecase(text, places) == "Porthaven (Reuters) - Storm hits the coast, the ECB said."
    assert truecase("NEW HARBOUR, Jan 2 -- Floods.", places) == "New Harbour, Jan 2 -- Floods."
    # Capitals without a dateline after them stay as written.
    assert truecase("ECB said on Monday.", places) == "ECB said on Monday."


def test_ordinary_text_is_untouched() -> None:
    text = "Rain fell on Leeds.\nThe BBC said so."
    assert truecase(text) is text and not shouted("The BBC said so.")


@given(st.text(alphabet="ABCDEFGHIJ abcdefghij\n-.1", max_size=200))
def test_length_and_letters_are_kept(text: str) -> None:
    out = truecase(text, common=COMMON)
    assert len(out) == len(text) and out.lower() == text.lower()
