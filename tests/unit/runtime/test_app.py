"""Wiring: where a worker keeps its table files, and which store the tables use."""

from __future__ import annotations

import asyncio
from pathlib import Path

import faust.stores.rocksdb
import pytest
from prometheus_client import CollectorRegistry

from streams.runtime.agents import finish_on_cancel
from streams.runtime.app import build, worker_datadir
from streams.runtime.overrides.committed import CommittedStore
from streams.runtime.overrides.monitor import LeanMonitor
from streams.settings import Settings


def test_each_worker_keeps_its_table_files_apart(tmp_path: Path) -> None:
    # state_dir given: the environment may set NEWSSTREAM_STATE_DIR.
    one = Settings(app_id="news", web_port=7001, cache_dir=tmp_path, state_dir=None)
    two = Settings(app_id="news", web_port=7002, cache_dir=tmp_path, state_dir=None)
    assert worker_datadir(one) == tmp_path / "faust" / "news" / "worker-7001"
    assert worker_datadir(one) != worker_datadir(two)  # RocksDB locks a database to one process
    moved = Settings(app_id="news", web_port=7001, cache_dir=tmp_path, state_dir=tmp_path / "state")
    assert worker_datadir(moved) == tmp_path / "state" / "news" / "worker-7001"


def test_tables_are_on_rocksdb_and_expire_with_two_windows(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path, state_window_hours=1, stories=True, story_window_hours=3)
    worker = build(settings, CollectorRegistry())
    for name, table in worker.app.tables.items():
        hours = 3 if name.startswith("story-") else 1  # the story stage has a window of its own
        assert isinstance(table.data, faust.stores.rocksdb.Store)
        assert isinstance(table.data, CommittedStore)  # restores from committed records in EOS
        assert table.options["ttl"] == 2 * hours * 3600
        assert table.changelog_topic.config["retention.ms"] == str(2 * hours * 3_600_000)


def test_stories_off_means_no_story_agents_topics_or_tables(tmp_path: Path) -> None:
    worker = build(Settings(cache_dir=tmp_path), CollectorRegistry())
    assert sorted(agent.name for agent in worker.app.agents.values()) == ["enrich", "split"]
    assert sorted(worker.app.tables) == ["article-states", "learnt-lines"]
    assert worker.stages.stories is None and worker.stages.topics.bands is None
    on = build(Settings(cache_dir=tmp_path, stories=True), CollectorRegistry())
    assert sorted(agent.name for agent in on.app.agents.values()) == ["bands", "enrich", "matches", "split"]


async def test_work_in_hand_finishes_when_the_agent_is_cancelled() -> None:
    gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    done = []

    async def work() -> None:
        await gate
        done.append("late")

    agent = asyncio.ensure_future(finish_on_cancel(work()))
    await asyncio.sleep(0)
    agent.cancel()
    await asyncio.sleep(0)
    gate.set_result(None)
    with pytest.raises(asyncio.CancelledError):
        await agent
    assert done == ["late"]  # finished before the cancellation went on


async def test_work_that_never_suspends_runs_without_a_task(monkeypatch: pytest.MonkeyPatch) -> None:
    from streams.runtime import agents

    # A turn was given just now (and, on a slow machine, "now" lasts).
    monkeypatch.setattr(agents.LOOP_TURNS, "last", agents.time.monotonic())
    monkeypatch.setattr(agents.LOOP_TURNS, "interval", 3600.0)
    done = []

    async def work() -> None:
        done.append("now")

    before = len(asyncio.all_tasks())
    coro = finish_on_cancel(work())
    with pytest.raises(StopIteration):
        coro.send(None)  # completed in one step: nothing was scheduled
    assert done == ["now"] and len(asyncio.all_tasks()) == before


def test_fausts_monitor_keeps_nothing_per_message(tmp_path: Path) -> None:
    worker = build(Settings(state_dir=tmp_path), CollectorRegistry())
    monitor = worker.app.monitor
    assert isinstance(monitor, LeanMonitor)
    monitor.on_message_in(None, 1, None)
    assert monitor.on_stream_event_in(None, 1, None, None) is None
    assert monitor.messages_received_total == 0 and monitor.events_total == 0
    monitor.on_send_error(None, RuntimeError("x"), None)
    assert monitor.send_errors == 1  # what is rare is still kept


async def test_agents_give_the_loop_a_turn_every_few_milliseconds(monkeypatch: pytest.MonkeyPatch) -> None:
    from streams.runtime import agents

    clock = [100.0]
    monkeypatch.setattr(agents.time, "monotonic", lambda: clock[0])
    turns = agents.LoopTurns(interval=0.005)
    ticks: list[int] = []

    async def ticker() -> None:
        while True:
            ticks.append(1)
            await asyncio.sleep(0)

    other = asyncio.ensure_future(ticker())
    try:
        await turns.maybe_yield()  # the first call yields
        seen = len(ticks)
        assert seen >= 1
        clock[0] += 0.001
        await turns.maybe_yield()  # 1 ms later: no turn for others
        assert len(ticks) == seen
        clock[0] += 0.005
        await turns.maybe_yield()  # 6 ms on: the others run
        assert len(ticks) > seen
    finally:
        other.cancel()
