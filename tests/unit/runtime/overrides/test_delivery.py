"""Eager delivery: a message handed over without tasks, and Faust's outcome when delivery blocks."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from faust.transport.drivers.aiokafka import Consumer
from prometheus_client import CollectorRegistry

from streams.runtime.app import build
from streams.runtime.overrides.delivery import EagerDeliveryConsumer, finish, start_eagerly
from streams.settings import Settings


async def put(queue: asyncio.Queue[int], item: int) -> int:
    await queue.put(item)
    return item


async def test_a_delivery_that_never_blocks_completes_at_once() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue()
    started = start_eagerly(put(queue, 7))
    assert started.done and started.result == 7 and queue.get_nowait() == 7


async def test_a_blocked_delivery_goes_on_in_a_task_when_it_can() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
    queue.put_nowait(1)
    started = start_eagerly(put(queue, 2))
    assert not started.done
    task = asyncio.ensure_future(finish(started))
    await asyncio.sleep(0)
    assert not task.done()
    assert queue.get_nowait() == 1  # room again: the put resumes where it stopped
    assert await task == 2 and queue.get_nowait() == 2


async def test_cancelling_the_task_cancels_the_delivery_inside() -> None:
    cleaned = []

    async def deliver(gate: asyncio.Future[None]) -> None:
        try:
            await gate
        finally:
            cleaned.append(True)

    gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    task = asyncio.ensure_future(finish(start_eagerly(deliver(gate))))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned == [True] and gate.cancelled()


async def test_errors_come_out_before_and_after_a_suspension() -> None:
    async def fails_at_once() -> None:
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        start_eagerly(fails_at_once())

    async def fails_later(gate: asyncio.Future[None]) -> None:
        await gate
        raise KeyError("late")

    gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    task = asyncio.ensure_future(finish(start_eagerly(fails_later(gate))))
    gate.set_result(None)
    with pytest.raises(KeyError, match="late"):
        await task


@pytest.fixture
def consumer(tmp_path: Path) -> EagerDeliveryConsumer:
    worker = build(Settings(cache_dir=tmp_path, state_dir=tmp_path), CollectorRegistry())
    consumer = worker.app.consumer
    assert isinstance(consumer, EagerDeliveryConsumer)  # what the worker runs
    return consumer


async def test_the_consumer_delivers_without_tasks(consumer: EagerDeliveryConsumer) -> None:
    queue: asyncio.Queue[int] = asyncio.Queue()
    before = len(asyncio.all_tasks())
    flow_wait = consumer.suspend_flow.wait()
    result = await consumer.wait_first(put(queue, 3), flow_wait)
    assert result.results == [3] and not result.stopped and queue.get_nowait() == 3
    assert len(asyncio.all_tasks()) == before
    assert flow_wait.cr_frame is None  # closed, so no "never awaited" warning


async def test_a_blocked_delivery_is_abandoned_when_the_flow_is_suspended(
    consumer: EagerDeliveryConsumer,
) -> None:
    # Faust's outcome, kept: a rebalance suspends the flow, and a delivery blocked on a full
    # stream buffer is cancelled rather than handed a message of a revoked partition.
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
    queue.put_nowait(1)
    waiting = asyncio.ensure_future(consumer.wait_first(put(queue, 2), consumer.suspend_flow.wait()))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    consumer.stop_flow()  # what a rebalance does
    result = await asyncio.wait_for(waiting, 2)
    assert result.stopped and not result.results
    assert queue.get_nowait() == 1
    await asyncio.sleep(0.01)
    assert queue.empty()  # the delivery was cancelled: room did not let it put its message


async def test_a_cancelled_fetcher_cancels_its_blocked_delivery(consumer: EagerDeliveryConsumer) -> None:
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
    queue.put_nowait(1)
    waiting = asyncio.ensure_future(consumer.wait_first(put(queue, 2), consumer.suspend_flow.wait()))
    await asyncio.sleep(0.01)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    queue.get_nowait()
    await asyncio.sleep(0.01)
    assert queue.empty()


async def test_other_waits_take_fausts_path(
    consumer: EagerDeliveryConsumer, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    async def fausts(self: object, *coros: object, timeout: object = None) -> str:
        calls.append((coros, timeout))
        for coro in coros:
            coro.close()  # type: ignore[attr-defined]  # the test's own coroutines
        return "faust"

    monkeypatch.setattr(Consumer, "wait_first", fausts)
    event = asyncio.Event()
    assert await consumer.wait_first(event.wait(), timeout=1.0) == "faust"  # not a delivery
    queue: asyncio.Queue[int] = asyncio.Queue()
    assert await consumer.wait_first(put(queue, 1), event.wait()) == "faust"  # not the flow event
    consumer.stop_flow()
    assert await consumer.wait_first(put(queue, 1), consumer.suspend_flow.wait()) == "faust"
    assert len(calls) == 3 and queue.empty()
