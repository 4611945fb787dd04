"""Exactly-once table state: highwaters from the broker, assigned partitions restored from the changelog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from faust.types import TP
from prometheus_client import CollectorRegistry

from streams.runtime.app import build
from streams.runtime.overrides.committed import CommittedOffsetsThread, CommittedStore
from streams.settings import Settings


def table_store(
    tmp_path: Path, guarantee: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, CommittedStore]:
    settings = Settings(processing_guarantee=guarantee, cache_dir=tmp_path, state_dir=tmp_path)  # type: ignore[arg-type]
    app = build(settings, CollectorRegistry()).app
    app.in_worker = True  # Faust turns transactions on inside a worker only
    monkeypatch.setattr(app.assignor, "assigned_standbys", set)
    table = app.tables["article-states"]
    assert isinstance(table.data, CommittedStore)
    return table, table.data


@pytest.mark.parametrize("guarantee", ["exactly_once", "at_least_once"])
async def test_a_newly_assigned_partition_starts_empty_in_either_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, guarantee: str
) -> None:
    table, store = table_store(tmp_path, guarantee, monkeypatch)
    # A value written by an earlier owner or run, maybe of a send never delivered or aborted.
    store._db_for_partition(0).put(b"article", b"written")
    store._db_for_partition(1).put(b"other", b"written")
    changelog = table.changelog_topic.get_topic_name()
    await store.assign_partitions(table, {TP(changelog, 0)})
    assert store._db_for_partition(0).get(b"article") is None
    assert store._db_for_partition(1).get(b"other") == b"written"  # not assigned anew: untouched
    leftovers = [
        p for p in store.partition_path(0).parent.iterdir() if CommittedStore.discarded_suffix in p.name
    ]
    assert leftovers == []


async def test_a_discarded_partitions_handle_is_closed_though_still_referenced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # RocksDB refuses to open a path whose lock a live handle of this process holds; left
    # to the garbage collector, the handle could outlive the discard and Faust would retry.
    table, store = table_store(tmp_path, "exactly_once", monkeypatch)
    held = store._db_for_partition(0)
    held.put(b"article", b"written")

    async def open_once(partition: int, **_: Any) -> Any:  # Faust's opener, without its retries
        return store._db_for_partition(partition)

    monkeypatch.setattr(store, "_try_open_db_for_partition", open_once)
    await store.assign_partitions(table, {TP(table.changelog_topic.get_topic_name(), 0)})
    assert store._dbs[0] is not held
    assert store._db_for_partition(0).get(b"article") is None


async def test_a_standby_partition_keeps_its_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table, store = table_store(tmp_path, "exactly_once", monkeypatch)
    changelog = TP(table.changelog_topic.get_topic_name(), 0)
    monkeypatch.setattr(table.app.assignor, "assigned_standbys", lambda: {changelog})
    store._db_for_partition(0).put(b"article", b"restored from the changelog")
    await store.assign_partitions(table, {changelog})
    assert store._db_for_partition(0).get(b"article") == b"restored from the changelog"


async def test_highwaters_are_asked_of_the_broker() -> None:
    asked: list[list[TP]] = []

    class Consumer:
        async def end_offsets(self, partitions: list[TP]) -> dict[TP, int]:
            asked.append(partitions)
            return dict.fromkeys(partitions, 42)

        def last_stable_offset(self, tp: TP) -> None:
            return None  # what aiokafka caches before the first fetch of a partition

    thread = CommittedOffsetsThread.__new__(CommittedOffsetsThread)
    thread._consumer = Consumer()  # type: ignore[assignment]
    changelog = TP("app-article-states-changelog", 3)
    assert await thread._highwaters([changelog]) == {changelog: 42}
    assert asked == [[changelog]]
