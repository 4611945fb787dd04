"""Worker state in tables: learnt lines (first sightings in memory) and packed article states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from streams.split.updates import pack
from streams.state import RecentArticleStates, TableLineStore


@dataclass
class _Windows:
    """What the stores read of one key of a windowed Faust table."""

    now: Any
    before: Any = None

    def current(self) -> Any:
        return self.now

    def delta(self, _window: timedelta) -> Any:
        return self.before


class _WindowedTable(dict[str, Any]):
    """What `TableLineStore` uses of a windowed Faust table: `t[k].current()` and `t[k] = v`."""

    def __getitem__(self, key: str) -> _Windows:
        return _Windows(self.get(key, []))


def test_a_line_reaches_the_table_at_its_second_article_and_is_learnt_at_the_threshold() -> None:
    table = _WindowedTable()
    store = TableLineStore(table, threshold=3)
    assert store.observe("pub", "a1", ["Subscribe to our newsletter", "Storm hits"]) == frozenset()
    assert dict(table) == {}  # first sightings only: no changelog message
    assert store.observe("pub", "a2", ["Subscribe to our newsletter", "Flood warning"]) == frozenset()
    assert list(table.values()) == [["a1", "a2"]]
    learnt = store.observe("pub", "a3", ["Subscribe to our newsletter"])
    assert len(learnt) == 1
    assert sorted(map(len, table.values())) == [3]


def test_first_sightings_are_bounded_oldest_first() -> None:
    table = _WindowedTable()
    store = TableLineStore(table, threshold=2, kept=2)
    for i, line in enumerate(["line one here", "line two here", "line three here"]):
        store.observe("pub", f"a{i}", [line])
    assert len(store.first) == 2
    # "line one here" was forgotten: seeing it again is a first sighting once more.
    assert store.observe("pub", "b", ["line one here"]) == frozenset()
    assert store.observe("pub", "c", ["line three here"]) != frozenset()  # still remembered


def test_article_states_are_stored_packed_and_read_from_this_or_the_previous_window() -> None:
    table: dict[str, Any] = {}
    states = RecentArticleStates(table, timedelta(hours=1))
    state: dict[str, list[str | int]] = {"art:1": ["h1", 1], "art:2": ["h2", 3]}
    states["art"] = state
    assert isinstance(table["art"], str)
    older = {"old:1": ["h0", 1]}
    view = {
        "art": _Windows(table["art"], {}),
        "old": _Windows({}, pack("old", older)),  # only in the previous window
        "none": _Windows({}, {}),
    }
    reader = RecentArticleStates(view, timedelta(hours=1))
    assert reader.get("art") == state
    assert reader.get("old") == older
    assert reader.get("none") is None
