"""Routing rules: validation with clear errors, and matching by what entries carry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import EnrichedEntry, Tag
from streams.errors import ConfigError
from streams.routing import Router


def _entry(kind: str = "post", source: str = "paper", tags: list[Tag] | None = None) -> EnrichedEntry:
    return EnrichedEntry(
        entry_id="a:1",
        article_id="a",
        source=source,
        position=0,
        kind=kind,  # type: ignore[arg-type]
        body="x",
        content_hash="h",
        enriched_at=datetime(2025, 1, 1, tzinfo=UTC),
        pipeline_version="t",
        tags=tags or [],
    )


POLITICS = Tag(type="topic", name="politics", id="medtop:11000000")
KYIV = Tag(type="place", name="Kyiv", id="geonames:703448", country="UA")
PUTIN = Tag(type="person", name="Vladimir Putin")

RULES = """
routes:
  - name: politics
    when: {topic: politics}
    to: [news.topics.politics]
  - name: politics-by-code
    when: {topic: "11000000"}
    to: [news.topics.politics, news.all-politics]
  - name: ukraine
    when: {country: [UA, MD]}
    to: [news.countries.ua]
  - name: putin-posts
    when: {kind: post, tag: {type: person, name: vladimir putin}}
    to: [news.watch]
  - name: wire
    when: {source: wire}
    to: [news.wire]
"""


def test_entries_fan_out_to_every_matching_topic_once() -> None:
    router = Router.from_yaml(RULES)
    routed = router.route(_entry(tags=[POLITICS, KYIV, PUTIN]))
    assert routed == [
        ("politics", "news.topics.politics"),
        ("politics-by-code", "news.all-politics"),
        ("ukraine", "news.countries.ua"),
        ("putin-posts", "news.watch"),
    ]


def test_all_conditions_of_a_rule_must_hold() -> None:
    router = Router.from_yaml(RULES)
    assert router.route(_entry(kind="article", tags=[PUTIN])) == []
    assert router.route(_entry(source="wire")) == [("wire", "news.wire")]


def test_topics_lists_every_target() -> None:
    assert Router.from_yaml(RULES).topics == [
        "news.topics.politics",
        "news.all-politics",
        "news.countries.ua",
        "news.watch",
        "news.wire",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("routes: [{name: a, when: {cuntry: UA}, to: [t]}]", "routes.0.when.cuntry"),
        ("routes: [{name: a, when: {}, to: [t]}]", "at least one condition"),
        ("routes: [{name: a, when: {kind: post}, to: []}]", "routes.0.to"),
        ("routes: [{name: a, when: {kind: post}, to: ['bad topic!']}]", "routes.0.to.0"),
        (
            "routes: [{name: a, when: {kind: post}, to: [t]}, {name: a, when: {kind: post}, to: [u]}]",
            "unique",
        ),
        ("routes: [{name: a, when: {kind: post}, to: [t]", "not YAML"),
        ("rules: []", "routes"),
    ],
)
def test_bad_rules_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        Router.from_yaml(text, "routes.yaml")
    assert info.value.reason == "bad_routes"
    assert message in info.value.detail
    assert "routes.yaml" in info.value.detail or message == "unique"


def test_a_rule_may_name_a_second_level_topic() -> None:
    rules = "routes:\n  - name: elections\n    when: {topic: ['11000014']}\n    to: [news.elections]\n"
    election = Tag(type="topic", name="election", id="medtop:11000014", parent="medtop:11000000")
    router = Router.from_yaml(rules)
    assert router.route(_entry(tags=[POLITICS, election])) == [("elections", "news.elections")]
    assert router.route(_entry(tags=[POLITICS])) == []
