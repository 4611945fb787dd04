"""Worker process set-up: the logging it was given is kept, the startup heap is frozen, the loop."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys

import pytest

from streams.errors import ConfigError
from streams.runtime.overrides.worker import DrainingWorker
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
