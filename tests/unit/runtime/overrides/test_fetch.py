"""aiokafka is asked for exactly the partitions Faust had active when it asked, never for "all"."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from aiokafka.consumer.fetcher import Fetcher
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.types import TP

from streams.runtime.overrides.committed import CommittedOffsetsThread
from streams.runtime.overrides.fetch import RequestedPartitionsOnly

A, B = TP("entries", 0), TP("raw", 0)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What Faust's own `getmany` was called with (it hands the set to aiokafka's thread)."""
    calls: list[Any] = []

    async def upstream(self: Any, active_partitions: Any, timeout: float) -> dict[TP, list[int]]:
        calls.append(active_partitions)
        await asyncio.sleep(0)  # the event loop changes Faust's set meanwhile
        return {tp: [1] for tp in active_partitions or (A, B)}

    monkeypatch.setattr(AIOKafkaConsumerThread, "getmany", upstream)
    return calls


def _thread() -> RequestedPartitionsOnly:
    return object.__new__(RequestedPartitionsOnly)


async def test_an_empty_set_is_not_passed_on(asked: list[Any]) -> None:
    # aiokafka would read it as every partition, paused ones included.
    assert await _thread().getmany(set(), 1.0) == {}
    assert asked == []


async def test_the_set_asked_for_does_not_change_while_the_fetch_waits(asked: list[Any]) -> None:
    live = {A}
    fetch = asyncio.ensure_future(_thread().getmany(live, 1.0))
    await asyncio.sleep(0)
    live.clear()  # recovery paused it before the fetch returned
    assert await fetch == {A: [1]}
    assert asked == [{A}]
    assert asked[0] is not live


async def test_a_client_only_app_still_asks_for_every_partition(asked: list[Any]) -> None:
    assert await _thread().getmany(None, 1.0) == {A: [1], B: [1]}


def test_the_worker_s_consumer_thread_fetches_this_way() -> None:
    assert issubclass(CommittedOffsetsThread, RequestedPartitionsOnly)


def test_aiokafka_still_reads_an_empty_set_as_every_partition() -> None:
    # Why the override exists; if aiokafka stops doing this, the override is harmless.
    assert "if partitions and tp not in partitions" in inspect.getsource(Fetcher.fetched_records)
