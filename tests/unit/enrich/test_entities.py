"""Entity rules: new people from context, organisations by their words, places with codes."""

from __future__ import annotations

import pytest

from streams.enrich.entities import ArticleContext, EntityExtractor, extract


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


def test_places_used_as_teams_are_organisations() -> None:
    found = _found(
        "Liverpool beat Real Madrid 2-1 on Tuesday. Brazil face Argentina next.", ArticleContext(sports=True)
    )
    assert {
        ("organization", "Liverpool"),
        ("organization", "Real Madrid"),
        ("organization", "Brazil"),
        ("organization", "Argentina"),
    } <= found
    assert ("place", "Liverpool") in _found("Floods hit Liverpool on Monday.")
    assert ("place", "Ukraine") in _found("Russia's war against Ukraine went on.")


def test_countries_have_a_representative_point() -> None:
    [france] = [e for e in extract("Talks in France resumed.", ArticleContext()) if e.type == "place"]
    assert france.id == "iso3166:FR" and france.lat is not None and france.lon is not None
    assert 42 < france.lat < 51 and -5 < france.lon < 8


@pytest.mark.parametrize(
    ("text", "sports"),
    [
        ("The MATCH went to extra time.", True),
        ("Tickets for the World Cup sold out.", True),
        ("They won 3-1 away.", True),
        ("The Grand Prix starts at noon.", True),
        ("The council matched the funding.", False),  # a cue inside a longer word is not one
        ("Rates rose by 0.25 points.", False),
    ],
)
def test_sports_cues_whatever_the_case(text: str, sports: bool) -> None:
    assert EntityExtractor().is_sports(text) is sports
