"""Mentions resolve to canonical entities: places with ids, countries, teams, people in the article."""

from __future__ import annotations

from streams.enrich.entities import ArticleContext
from streams.enrich.names import SportsLines, default_names
from streams.enrich.spans import Mention

NAMES = default_names()


def _resolve(text: str, surface: str, kind: str, ctx: ArticleContext | None = None) -> tuple[str, str] | None:
    start = text.index(surface)
    mention = Mention(kind, start, start + len(surface))
    sports = NAMES.sports(text)
    teams = NAMES.teams(text, [mention], sports)
    entity = NAMES.resolve(text, mention, ctx or ArticleContext(), sports, teams)
    return None if entity is None else (entity.type, entity.name)


def _later(
    text: str, full: Mention, alone: str, kind: str, ctx: ArticleContext | None = None
) -> tuple[str, str] | None:
    """What the last `alone` of `text` (typed `kind`) is once the article named `full`."""
    ctx = ctx if ctx is not None else ArticleContext()
    NAMES.learn(text, [full], ctx)
    start = text.rindex(alone)
    entity = NAMES.resolve(text, Mention(kind, start, start + len(alone)), ctx)
    return None if entity is None else (entity.type, entity.name)


def test_places_get_ids_codes_and_other_names() -> None:
    text = "Talks were held in Beograd and New York."
    start = text.index("New York")
    entity = NAMES.resolve(text, Mention("place", start, start + 8), ArticleContext())
    assert entity is not None and (entity.name, entity.country) == ("New York", "US")
    assert entity.id is not None and entity.id.startswith("geonames:")
    assert _resolve(text, "Beograd", "place") == ("place", "Belgrade")


def test_countries_are_places_whatever_the_model_said() -> None:
    assert _resolve("Moldova said on Monday.", "Moldova", "organization") == ("place", "Moldova")
    assert _resolve("Troops left Sri Lanka.", "Sri Lanka", "person") == ("place", "Sri Lanka")


def test_england_is_not_the_united_kingdom() -> None:
    assert _resolve("Rain across England.", "England", "place") == ("place", "England")


def test_aliases_fold() -> None:
    assert _resolve("The U.S. said.", "U.S.", "place") == ("place", "United States")
    assert _resolve("The EU said.", "EU", "organization") == ("organization", "European Union")


def test_short_names_resolve_to_the_person_met_in_the_article() -> None:
    ctx = ArticleContext()
    text = "Vladimir Putin spoke. Later Putin left."
    NAMES.learn(text, [Mention("person", 0, 14)], ctx)
    assert _resolve(text, "Putin left", "organization", ctx) is not None
    start = text.rindex("Putin")
    entity = NAMES.resolve(text, Mention("organization", start, start + 5), ctx)
    assert entity is not None and (entity.type, entity.name) == ("person", "Vladimir Putin")


def test_a_company_named_in_full_is_the_company_by_its_first_word() -> None:
    ctx = ArticleContext()
    text = "Kelby Petroleum Corp said profit rose. Kelby plans a new plant."
    assert _later(text, Mention("organization", 0, 20), "Kelby", "person", ctx) == ("organization", "Kelby")
    # A person named in full with the same word stays that person.
    NAMES.learn("Ann Kelby spoke.", [Mention("person", 0, 9)], ctx)
    assert _later(text, Mention("organization", 0, 20), "Kelby", "person", ctx) == ("person", "Ann Kelby")


def test_a_surname_met_in_full_is_the_person_even_as_a_common_word_opening_a_sentence() -> None:
    text = "Ann Woods won the vote. Woods thanked her staff."
    assert _later(text, Mention("person", 0, 9), "Woods", "person") == ("person", "Ann Woods")
    # Without her named as a person, a common word opening a sentence is no name.
    assert _later(text, Mention("place", 0, 9), "Woods", "person") is None


def test_a_side_leading_a_table_row_is_a_name_though_a_common_word() -> None:
    text = "Soccer standings:\nKelby 4 2 1 1 6 4 7\nReading 4 1 1 2 5 10 4"
    assert _resolve(text, "Reading", "organization") == ("organization", "Reading")
    assert _resolve("Reading the report, she frowned.", "Reading", "organization") is None


def test_the_first_word_of_a_person_named_in_full_is_a_person_alone() -> None:
    text = "Police detained Lin Haobo on Friday. Lin was held overnight."
    assert _later(text, Mention("person", 16, 25), "Lin", "organization") == ("person", "Lin")
    # Not when the model's "person" reads as a body ("Kelby Council": its last word is common),
    # nor when the first word is a place.
    for full, alone in (("Kelby Council", "Kelby"), ("Jordan Hale", "Jordan")):
        found = _later(
            f"{full} spoke. Later {alone} said.", Mention("person", 0, len(full)), alone, "organization"
        )
        assert found is not None and found[0] != "person"


def test_sides_in_sports_coverage_are_organisations() -> None:
    text = "Leeds beat Bradford 2-1 in the league on Saturday.\nThe match in Leeds was sold out."
    assert _resolve(text, "Leeds", "place") == ("organization", "Leeds")
    later = text.rindex("Leeds")
    sports = NAMES.sports(text)
    teams = NAMES.teams(text, [Mention("place", 0, 5)], sports)
    entity = NAMES.resolve(text, Mention("place", later, later + 5), ArticleContext(), sports, teams)
    assert entity is not None and entity.type == "place"  # "in Leeds": the place


def test_places_outside_sports_stay_places() -> None:
    assert _resolve("Leeds beat its recycling target, the council said.", "Leeds", "place") == (
        "place",
        "Leeds",
    )


def test_a_place_noun_before_a_name_makes_it_a_place() -> None:
    assert _resolve("Rebels took the city of Porthaven.", "Porthaven", "organization") == (
        "place",
        "Porthaven",
    )
    assert _resolve("Shells hit the capital, Porthaven.", "Porthaven", "person") == ("place", "Porthaven")
    # Other nouns before a name say nothing of the kind.
    assert _resolve("The venture capital firm Kelby Partners said.", "Kelby Partners", "organization") == (
        "organization",
        "Kelby Partners",
    )


def test_titles_make_people() -> None:
    text = "Foreign ministry spokesman Christophe Lemoine said."
    assert _resolve(text, "Christophe Lemoine", "organization") == ("person", "Christophe Lemoine")


def test_table_labels_and_function_words_are_not_names() -> None:
    assert _resolve("Extras 5\nTotal 228", "Extras", "person") is None
    assert _resolve("It was The end.", "The", "organization") is None


def test_one_type_per_name_in_an_article() -> None:
    texts = ["Spotify said.", "Spotify grew.", "Spotify fell."]
    found = [[Mention("organization", 0, 7)], [Mention("organization", 0, 7)], [Mention("place", 0, 7)]]
    assert [ms[0].type for ms in NAMES.vote(texts, found)] == ["organization"] * 3


def test_sports_lines_follow_the_text_and_its_tables() -> None:
    text = "Oil prices rose.\n\n\n\nSoccer results\nPorthaven 2 Eastmouth 1\nWestbay 0 Northfield 3"
    lines = SportsLines(text, NAMES.lexicon.sports.found_in)
    assert not lines.at(0) and lines.at(text.index("Westbay"))
    assert [text[a:b] for a, b in lines.rows()] == ["Porthaven 2 Eastmouth 1", "Westbay 0 Northfield 3"]


def test_a_table_that_adds_up_is_sports_coverage_without_a_sports_word() -> None:
    # A round-up cut from its heading: only names and numbers.
    text = "Porthaven 4 3 1 0 9 2 10\nGreenhill Rovers 4 2 1 1 6 4 7\nEastmouth 4 0 0 4 1 10 0"
    lines = NAMES.sports(text)
    assert all(lines.at(text.index(name)) for name in ("Porthaven", "Greenhill", "Eastmouth"))
    # The model took a side with two words for a person; it leads a table row, so it is a side.
    assert _resolve(text, "Greenhill Rovers", "person") == ("organization", "Greenhill Rovers")
    assert _resolve(text, "Porthaven", "place") == ("organization", "Porthaven")


def test_a_ranked_results_list_is_sports_coverage_and_its_competitors_are_people() -> None:
    # A continuation page of athletics results: no sports word, ranks that follow on.
    text = (
        "4. Yelena Varkova (Russia) 4:09.25\n5. Lisbet Armand (Canada) 4:09.95\n6. Nina Holt (Norway) 4:10.38"
    )
    assert all(NAMES.sports(text).at(text.index(name)) for name in ("Yelena", "Lisbet", "Nina"))
    # The model took a competitor for an organisation; a name, then a country: a player.
    assert _resolve(text, "Lisbet Armand", "organization") == ("person", "Lisbet Armand")
    # Without ranks that follow on, the lines are not sports coverage and the type stands.
    text = "4. Yelena Varkova (Russia) 4:09.25\n9. Lisbet Armand (Canada) 4:09.95"
    assert _resolve(text, "Lisbet Armand", "organization") == ("organization", "Lisbet Armand")


def test_numbers_that_do_not_add_up_leave_places_alone() -> None:
    text = "Greenhill Rovers 4 3 1 2 9 2 10\nEastmouth 4 0 0 3 1 10 0"
    assert not NAMES.sports(text).at(0)
    assert _resolve(text, "Greenhill Rovers", "person") == ("person", "Greenhill Rovers")


def test_a_won_lost_row_may_be_a_players_record() -> None:
    # Won, lost and share add up, so the lines are sports coverage, but a pitcher has such a record too.
    text = "Porthaven 80 53 .602\nJohn Kettleby 15 9 .625"
    assert NAMES.sports(text).at(text.index("John"))
    assert _resolve(text, "John Kettleby", "person") == ("person", "John Kettleby")


def _players(text: str, taken: list[tuple[str, str]]) -> list[str]:
    mentions = [Mention(kind, text.index(s), text.index(s) + len(s)) for kind, s in taken]
    found = NAMES.competitors(text, NAMES.sports(text), mentions)
    return [text[m.start : m.end] for m in found if m.type == "person"]


def test_a_player_the_model_cut_short_is_named_in_full() -> None:
    text = "Tennis results on Friday:\nLena Marsh (France) beat Ana Ruiz (Spain) 6-2 6-1"
    # The model found only the surname of the first player and nothing of the second.
    assert _players(text, [("person", "Marsh")]) == ["Lena Marsh", "Ana Ruiz"]
    # A whole name the model found stays its own.
    assert _players(text, [("organization", "Lena Marsh")]) == ["Ana Ruiz"]


def test_a_player_typed_as_a_place_after_beat_is_a_person() -> None:
    text = "Tennis results on Friday:\nLena Marsh (France) beat Ana Ruiz (Spain) 6-2 6-1"
    assert _resolve(text, "Ana Ruiz", "place") == ("person", "Ana Ruiz")


def test_players_named_by_initials_in_a_scorecard_are_people() -> None:
    text = "Cricket scores:\nKelby 259 (A. Dunmore 69, T.O'Farrell 61; R. Pask 4-43), Westmoor 114"
    assert _players(text, [("organization", "Kelby")]) == ["A. Dunmore", "T.O'Farrell", "R. Pask"]
    # Not outside sports coverage: "J. Smith 40" in a list of donors is left to the model.
    assert _players("Donors this year:\nJ. Smith 40, K. Brown 25", []) == []


def test_goal_scorers_with_the_minute_are_people_whatever_the_model_said() -> None:
    text = (
        "Soccer: Kelby 2 Westmoor 1\nKelby - Tomas Varga (31st), Jan de Brink (pen 60th, 88th)\n"
        "Westmoor - Ole Dahl (4th)"
    )
    taken = [("organization", "Tomas Varga"), ("person", "Ole Dahl")]
    # The model's "Tomas Varga" is dropped by the caller for the player of the same span.
    assert _players(text, taken) == ["Tomas Varga", "Jan de Brink"]
    # A bracket that is not a minute ("(90th birthday)", an age) makes no player.
    assert _players("Lena Marsh (90th birthday) was held on Friday.", []) == []
    assert _players("Lena Marsh (31) was held on Friday.", []) == []
    # Nor, outside sports coverage, a running time.
    assert _players("Tonight:\nDinner Party (90 mins), then news.", []) == []


def test_a_scorers_heading_makes_its_goal_list_sports_coverage() -> None:
    # Far from any other cue: the match report's first lines say nothing of sport.
    text = "Kelby beat Westmoor 2-1 on Saturday.\nA\nB\nC\nD\nScorers:\nKelby - Tomas Varga (31st)"
    assert _players(text, [("organization", "Tomas Varga")]) == ["Tomas Varga"]
    assert _players(text.replace("Scorers:", "Notes:"), [("organization", "Tomas Varga")]) == []


def test_substitutes_and_a_team_sheets_numbered_players_are_people() -> None:
    text = (
        "Soccer: Kelby 2 Westmoor 1\n"
        "Kelby - 1 - Tomas Varga; 2 - Jan de Brink (Ole Dahl, 48 mins), 3 - Piet Aas\n"
        "Westmoor - 1 - Kim Lund (14 - Ian Roe 60th)"
    )
    assert _players(text, [("organization", "Kelby - 1 - Tomas Varga")]) == [
        "Ole Dahl", "Jan de Brink", "Piet Aas", "Kim Lund", "Ian Roe"
    ]  # fmt: skip
    # Numbered items outside sports coverage are not players.
    assert _players("Contents:\n1 - Introduction, 2 - Field Methods", []) == []


def test_a_scorecards_batsmen_fielders_and_bowlers_are_people() -> None:
    text = "Cricket scorecard:\nT. Varga c Aas b Dahl 13\nJan Brink lbw b Kim Lund 0\nPiet Aas not out 40"
    taken = [("organization", "Dahl"), ("place", "Jan Brink")]
    assert _players(text, taken) == ["T. Varga", "Aas", "Dahl", "Jan Brink", "Kim Lund", "Piet Aas"]
    # Not outside sports coverage.
    assert _players("Minutes:\nT. Varga c Aas b Dahl 13", []) == []


def test_the_visitors_of_a_schedule_are_a_side_and_the_home_city_the_venue() -> None:
    text = "Kelby at Westmoor\nPorthaven at Eastmouth\nNorthfield v Harlow"
    assert NAMES.sports(text).at(0)
    assert _resolve(text, "Porthaven", "place") == ("organization", "Porthaven")
    assert _resolve(text, "Harlow", "place") == ("organization", "Harlow")
    assert _resolve(text, "Eastmouth", "place")[0] == "place"
