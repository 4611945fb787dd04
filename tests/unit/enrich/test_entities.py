"""Entity rules: new people from context, organisations by their words, places with codes."""

from __future__ import annotations

from streams.enrich.entities import ArticleContext, extract


def _found(text: str, ctx: ArticleContext | None = None) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract(text, ctx or ArticleContext())}


def test_unknown_people_from_titles_and_speech() -> None:
    found = _found("Finance Minister Olga Brennan said the budget was fair. Critics disagreed.")
    assert ("person", "Olga Brennan") in found


def test_short_mentions_resolve_to_the_full_name() -> None:
    ctx = ArticleContext()
    _found("Prime Minister Nikos Andreou visited the site.", ctx)
    assert ("person", "Nikos Andreou") in _found("Mr Andreou said help was coming.", ctx)


def test_organisations_by_their_words_and_short_forms() -> None:
    found = _found("The Hellenic Fire Service and the EU said on Monday that Nato would help.")
    assert {
        ("organization", "Hellenic Fire Service"),
        ("organization", "European Union"),
        ("organization", "NATO"),
    } <= found


def test_places_have_codes_and_coordinates() -> None:
    [athens] = [e for e in extract("Fires burned near Athens.", ArticleContext()) if e.type == "place"]
    assert (athens.country, athens.id) == ("GR", "geonames:264371")
    assert athens.lat is not None and 37 < athens.lat < 39


def test_demonyms_are_not_places() -> None:
    found = _found("The Greek government and Russian officials met.")
    assert not any(t == "place" for t, _ in found)


def test_lists_are_split() -> None:
    found = _found("Aid came from Italy and Spain.")
    assert {("place", "Italy"), ("place", "Spain")} <= found


def test_country_aliases_are_canonical() -> None:
    found = _found("Talks between the US and Britain resumed.")
    assert {("place", "United States"), ("place", "United Kingdom")} <= found
