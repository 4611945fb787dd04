"""Worker process set-up and stop: the logging kept, the startup heap frozen, the loop, SIGTERM."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from faust.types import TP
from prometheus_client import CollectorRegistry

from streams.errors import ConfigError
from streams.runtime.app import build
from streams.runtime.overrides import worker as worker_module
from streams.runtime.overrides.worker import DrainingWorker, _commit_after, _stop_fetching
from streams.runtime.worker import freeze_startup_heap, use_event_loop
from streams.settings import Settings


def test_no_spinner_and_root_level_kept() -> None:
    root = logging.getLogger()
    before, handlers = root.level, list(root.handlers)
    worker = DrainingWorker.__new__(DrainingWorker)  # the hook needs no started app
    worker.spinner = object()  # type: ignore[assignment]  # what Faust sets in __init__
    try:
        root.setLevel(logging.WARNING)
        worker.on_setup_root_logger(root, logging.WARNING)
        assert worker.spinner is None
        assert root.level == logging.WARNING
        assert not root.isEnabledFor(logging.DEBUG)  # debug records are not even built
        assert root.handlers == handlers
    finally:
        root.setLevel(before)


def test_startup_heap_is_frozen() -> None:
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_uvloop_is_the_default_event_loop() -> None:
    import uvloop

    before = asyncio.get_event_loop_policy()
    try:
        use_event_loop(Settings().event_loop)
        loop = asyncio.new_event_loop()
        try:
            assert isinstance(loop, uvloop.Loop)
        finally:
            loop.close()
    finally:
        asyncio.set_event_loop_policy(before)


def test_asyncio_event_loop_leaves_the_policy_alone() -> None:
    before = asyncio.get_event_loop_policy()
    use_event_loop("asyncio")
    assert asyncio.get_event_loop_policy() is before


def test_missing_uvloop_is_a_clear_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now raises ImportError
    monkeypatch.delitem(sys.modules, "mode.loop.uvloop", raising=False)
    before = asyncio.get_event_loop_policy()
    with pytest.raises(ConfigError, match="NEWSSTREAM_EVENT_LOOP=asyncio"):
        use_event_loop("uvloop")
    assert asyncio.get_event_loop_policy() is before


def test_the_band_topic_is_created_with_its_own_partition_count() -> None:
    from aiokafka.admin import NewTopic

    from streams.runtime.worker import pipeline_topics

    settings = Settings(stories=True, story_partitions=3, topic_partitions=8)
    topics = pipeline_topics(settings)
    bands = [t for t in topics if isinstance(t, NewTopic)]
    assert [(t.name, t.num_partitions) for t in bands] == [("news.stories.bands", 3)]
    assert "news.stories.matches" in topics  # created like the others
    assert pipeline_topics(Settings()) == list(Settings().topics)


class _Record:
    """What Faust's fetch loop reads of a message: its topic and offset."""

    def __init__(self, offset: int) -> None:
        self.topic, self.offset = "news.raw", offset


async def test_sigterm_stops_a_hand_over_in_progress(tmp_path: Path) -> None:
    # A batch fetched before SIGTERM: record 0 is handed on, record 1's hand-over waits (as
    # for the producer's buffer to ebb), record 2 is not reached. Once the fetcher is
    # stopped nothing more may be handed on, or it would be processed after the final
    # commit and done again by the next worker.
    app = build(Settings(cache_dir=tmp_path, state_dir=tmp_path), CollectorRegistry()).app
    consumer: Any = app.consumer
    ebb = asyncio.Event()
    handed: list[int] = []

    async def batch(timeout: float) -> AsyncIterator[tuple[TP, _Record]]:
        for offset in range(3):
            yield TP("news.raw", 0), _Record(offset)
        await asyncio.Event().wait()  # the next fetch: nothing more arrives

    async def hand_on(record: _Record) -> None:
        if record.offset == 1:
            await ebb.wait()
        handed.append(record.offset)

    consumer.getmany, consumer.callback = batch, hand_on  # what `_drain_messages` reads
    await app._fetcher.start()
    for _ in range(100):
        if handed:
            break
        await asyncio.sleep(0.01)
    assert handed == [0]
    await asyncio.wait_for(_stop_fetching(app), 5)
    ebb.set()
    await asyncio.sleep(0.05)
    assert handed == [0]  # record 1 was never queued: the next worker reads it


async def test_the_final_commit_begins_after_the_commit_in_flight(tmp_path: Path) -> None:
    # Faust's `commit()` meeting a commit in flight waits for it and commits nothing; the
    # periodic commit in flight chose its offsets before the drain ended.
    consumer: Any = build(Settings(cache_dir=tmp_path, state_dir=tmp_path), CollectorRegistry()).app.consumer
    slow = asyncio.Event()
    began: list[str] = []

    async def force_commit(topics: object = None, start_new_transaction: bool = True) -> bool:
        began.append("periodic" if not began else "final")
        if len(began) == 1:
            await slow.wait()  # a commit on a loaded machine: seconds
        return True

    consumer.force_commit = force_commit
    periodic = asyncio.ensure_future(consumer.commit())
    await asyncio.sleep(0.01)
    final = asyncio.ensure_future(_commit_after(consumer))
    await asyncio.sleep(0.01)
    assert began == ["periodic"] and not final.done()
    slow.set()
    await asyncio.wait_for(asyncio.gather(periodic, final), 5)
    assert began == ["periodic", "final"]  # a commit of its own, begun after the drain


async def test_sigterm_exits_behind_a_commit_that_never_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A periodic commit whose broker is gone never returns. Faust's wait for a commit in
    # flight swallows the cancellation meant for its caller, so a timeout that waits for
    # the cancelled final commit to end waits for ever, and the worker is killed instead
    # of exiting on its own.
    app = build(Settings(cache_dir=tmp_path, state_dir=tmp_path), CollectorRegistry()).app
    consumer: Any = app.consumer

    async def force_commit(topics: object = None, start_new_transaction: bool = True) -> bool:
        await asyncio.Event().wait()
        return True

    consumer.force_commit = force_commit
    periodic = asyncio.ensure_future(consumer.commit())
    await asyncio.sleep(0.01)
    exits: list[int] = []
    monkeypatch.setattr(worker_module, "DRAIN_SECONDS", 0.2)
    monkeypatch.setattr(worker_module, "LEAVE_SECONDS", 0.2)
    monkeypatch.setattr(worker_module.os, "_exit", exits.append)
    monkeypatch.setattr(worker_module.logging, "shutdown", lambda: None)
    worker: Any = SimpleNamespace(app=app)
    stop = asyncio.ensure_future(DrainingWorker._stop_on_signal(worker, None))
    done, _ = await asyncio.wait({stop}, timeout=5)
    periodic.cancel()
    assert done and exits == [0]
    # The drain (its `wait_empty` commits too) timed out; the SIGTERM fault test reads this.
    assert "not finished in time" in caplog.text
