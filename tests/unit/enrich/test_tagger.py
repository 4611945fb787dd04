"""The tagger contract: tags per entry, topics with IPTC ids, pluggable by configuration."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from schemas import Entry, RawArticle, Tag
from streams.enrich import ArticleContext, RuleTagger, enrich_entries, load_tagger
from streams.errors import ConfigError
from streams.split import split_article
from tests.conftest import read_data


def _entries(name: str) -> list[Entry]:
    return split_article(RawArticle(source="t", content=read_data(name)))


def test_every_entry_gets_a_topic_and_keywords() -> None:
    entries = _entries("liveblog_times.txt")
    for tags in RuleTagger().tag_article(entries):
        topics = [t for t in tags if t.type == "topic"]
        assert topics and all(t.id and t.id.startswith("medtop:") and len(t.id) == 15 for t in topics)
        assert 1 <= sum(t.type == "keyword" for t in tags) <= 5


def test_disaster_liveblog_topic() -> None:
    [first, *_] = RuleTagger().tag_article(_entries("liveblog_times.txt"))
    assert "medtop:03000000" in {t.id for t in first if t.type == "topic"}


def test_names_resolve_across_posts() -> None:
    tags = RuleTagger().tag_article(_entries("liveblog_headlines.txt"))
    second = {(t.type, t.name) for t in tags[1]}
    assert ("person", "Marta Carvalho") in second  # "Carvalho" in post 2, full name in post 1


def test_enrich_bounds_tags() -> None:
    out = enrich_entries(_entries("article.txt"), RuleTagger(), max_tags=3)
    assert len(out[0].tags) == 3


class _Fixed:
    language = "xx"

    def tag_article(self, entries: Sequence[Entry], context: ArticleContext | None = None) -> list[list[Tag]]:
        return [[Tag(type="keyword", name="fixed")] for _ in entries]


def fixed_tagger() -> _Fixed:
    return _Fixed()


def test_tagger_is_pluggable() -> None:
    tagger = load_tagger("tests.unit.enrich.test_tagger:fixed_tagger")
    out = enrich_entries(_entries("article.txt"), tagger, max_tags=10)
    assert [t.name for t in out[0].tags] == ["fixed"] and out[0].language == "xx"


@pytest.mark.parametrize(
    "spec", ["nomodule", "no.such.module:x", "streams.enrich:nothing", "builtins:object"]
)
def test_bad_tagger_spec_is_a_clear_error(spec: str) -> None:
    with pytest.raises(ConfigError):
        load_tagger(spec)


def test_sports_article_tags_teams() -> None:
    entry = Entry(
        entry_id="a:1",
        article_id="a",
        source="s",
        position=0,
        kind="article",
        headline="Liverpool beat Real Madrid in the Champions League final",
        body="Liverpool beat Real Madrid 2-1 at the stadium on Saturday.",
        content_hash="h",
    )
    tags = {(t.type, t.name) for t in RuleTagger().tag_article([entry])[0]}
    assert {("organization", "Liverpool"), ("organization", "Real Madrid")} <= tags
    assert ("topic", "sport") in tags


def test_a_table_that_adds_up_tags_its_sides_without_a_sports_word() -> None:
    # A standings page cut from its heading: places lead rows whose numbers add up.
    body = "Plymouth 4 3 1 0 9 2 10\nExeter 4 2 1 1 6 4 7\nTruro 4 0 0 4 1 10 0"
    entry = Entry(
        entry_id="a:1", article_id="a", source="s", position=0, kind="article", body=body, content_hash="h"
    )
    tags = {(t.type, t.name) for t in RuleTagger().tag_article([entry])[0]}
    assert {("organization", "Plymouth"), ("organization", "Exeter"), ("organization", "Truro")} <= tags
    off = body.replace("4 3 1 0", "4 3 1 2").replace("4 2 1 1", "4 2 1 3").replace("4 0 0 4", "4 0 0 3")
    tags = {(t.type, t.name) for t in RuleTagger().tag_article([entry.model_copy(update={"body": off})])[0]}
    assert ("organization", "Plymouth") not in tags
