"""Worker state in tables: learnt lines (first sightings in memory), packed article states, windows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from streams.runtime.app import build
from streams.runtime.tables import RecentArticleStates, TableLineStore, Windows, changelog_topics
from streams.settings import Settings
from streams.split.updates import pack


class _Table(dict[str, Any]):
    """What the stores use of a Faust table: its store's reads (`t.data`) and `t[k] = v`."""

    @property
    def data(self) -> _Table:
        return self

    # A Faust store's read path (`SerializedStore.__getitem__` without its KeyError).
    def _encode_key(self, key: str) -> str:
        return key

    def _get(self, key: str) -> Any:
        return dict.get(self, key)

    def _decode_value(self, value: Any) -> Any:
        return value


class _Clock:
    """A record time the test moves on (seconds)."""

    def __init__(self) -> None:
        self.t = 10_000.0

    def __call__(self) -> float:
        return self.t


HOUR = timedelta(hours=1)


def test_windows_tag_values_and_forget_them_after_the_windows_asked_for() -> None:
    clock = _Clock()
    windows = Windows(HOUR, clock)
    stored = windows.tag("v")
    assert stored == [2, "v"]  # 10,000 s is in the third hour
    assert windows.recent(stored, back=0) == "v" and windows.recent(None, back=1) is None
    clock.t += 3600
    assert windows.recent(stored, back=0) is None and windows.recent(stored, back=1) == "v"
    clock.t += 3600
    assert windows.recent(stored, back=1) is None


def test_windows_outside_an_event_are_an_error() -> None:
    with pytest.raises(RuntimeError, match="inside an agent's event"):
        Windows(HOUR).now()


def test_a_line_reaches_the_table_at_its_second_article_and_is_learnt_at_the_threshold() -> None:
    table = _Table()
    store = TableLineStore(table, Windows(HOUR, _Clock()), threshold=3)
    assert store.observe("pub", "a1", ["Subscribe to our newsletter", "Storm hits"]) == frozenset()
    assert dict(table) == {}  # first sightings only: no changelog message
    assert store.observe("pub", "a2", ["Subscribe to our newsletter", "Flood warning"]) == frozenset()
    assert list(table.values()) == [[2, ["a1", "a2"]]]
    learnt = store.observe("pub", "a3", ["Subscribe to our newsletter"])
    assert len(learnt) == 1
    assert list(table.values()) == [[2, ["a1", "a2", "a3"]]]


def test_line_counts_start_again_in_a_new_window() -> None:
    clock = _Clock()
    table = _Table()
    store = TableLineStore(table, Windows(HOUR, clock), threshold=3)
    for article in ("a1", "a2"):
        store.observe("pub", article, ["Subscribe to our newsletter"])
    clock.t += 3600
    assert store.observe("pub", "a3", ["Subscribe to our newsletter"]) == frozenset()
    assert store.observe("pub", "a4", ["Subscribe to our newsletter"]) == frozenset()
    assert store.observe("pub", "a5", ["Subscribe to our newsletter"]) != frozenset()


def test_first_sightings_are_bounded_oldest_first() -> None:
    store = TableLineStore(_Table(), Windows(HOUR, _Clock()), threshold=2, kept=2)
    for i, line in enumerate(["line one here", "line two here", "line three here"]):
        store.observe("pub", f"a{i}", [line])
    assert len(store.first) == 2
    # "line one here" was forgotten: seeing it again is a first sighting once more.
    assert store.observe("pub", "b", ["line one here"]) == frozenset()
    assert store.observe("pub", "c", ["line three here"]) != frozenset()  # still remembered


def test_article_states_are_stored_packed_and_read_from_this_or_the_previous_window() -> None:
    clock = _Clock()
    table = _Table()
    states = RecentArticleStates(table, Windows(HOUR, clock))
    state: dict[str, list[str | int]] = {"art:1": ["h1", 1], "art:2": ["h2", 3]}
    states["art"] = state
    assert table["art"] == [2, pack("art", state)]
    assert states.get("art") == state and states.get("none") is None
    clock.t += 3600
    assert states.get("art") == state  # the previous window
    clock.t += 3600
    assert states.get("art") is None  # two silent windows: new again


def test_changelog_topics_match_the_tables() -> None:
    worker = build(Settings(app_id="ct", topic_replication=3), CollectorRegistry(), input_partitions=6)
    specs = {spec.name: spec for spec in changelog_topics(worker.app)}
    assert set(specs) == {"ct-article-states-changelog", "ct-learnt-lines-changelog"}
    state, lines = specs["ct-article-states-changelog"], specs["ct-learnt-lines-changelog"]
    assert (state.num_partitions, state.replication_factor) == (6, 3)  # the input topic's count
    # Both compacted, and deleted once their windows expire (two days).
    windowed = {"cleanup.policy": "compact,delete", "retention.ms": str(2 * 86_400_000)}
    assert state.topic_configs == lines.topic_configs == windowed
    assert lines.num_partitions == 6
