"""Exactly-once: sends in the input record's transaction, commits of what was processed, rebalances."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from faust.transport.consumer import Consumer
from faust.types import TP
from prometheus_client import CollectorRegistry

from streams.runtime.app import build
from streams.runtime.overrides.transactions import (
    NotOwned,
    SourceTransactionManager,
    TransactionalConsumer,
    TransactionalTable,
)
from streams.settings import Settings

RAW0, RAW1, ENTRIES0 = TP("raw", 0), TP("raw", 1), TP("entries", 0)


class Producer:
    """Faust's producer as the transaction manager sees it: transactional producers by id."""

    def __init__(self, *held: str) -> None:
        self._transaction_producers: dict[str, object] = dict.fromkeys(held, object())
        self.sent: list[tuple[str, str | None]] = []
        self.committed: list[tuple[dict[str, dict[TP, int]], bool]] = []
        self.stopped: list[str] = []
        self.begun: list[str] = []

    async def send(self, topic: str, *args: Any, transactional_id: str | None = None) -> None:
        await asyncio.sleep(0)  # a real send yields to the loop too
        self.sent.append((topic, transactional_id))

    async def stop_transaction(self, tid: str) -> None:
        self._transaction_producers.pop(tid)
        self.stopped.append(tid)

    async def maybe_begin_transaction(self, tid: str) -> None:
        self._transaction_producers[tid] = object()
        self.begun.append(tid)

    async def commit_transactions(
        self, offsets: Any, group_id: str, start_new_transaction: bool = True
    ) -> None:
        self.committed.append(({k: dict(v) for k, v in offsets.items()}, start_new_transaction))


@pytest.fixture
def consumer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TransactionalConsumer:
    settings = Settings(
        app_id="news", processing_guarantee="exactly_once", cache_dir=tmp_path, state_dir=tmp_path
    )
    app = build(settings, CollectorRegistry()).app
    app.in_worker = True  # Faust turns transactions on inside a worker only
    monkeypatch.setattr(app.assignor, "group_for_topic", lambda topic: 1)
    monkeypatch.setattr(app.assignor, "assigned_actives", lambda: {RAW0, ENTRIES0})
    consumer = app.consumer
    assert isinstance(consumer, TransactionalConsumer)
    assert isinstance(consumer.transactions, SourceTransactionManager)
    consumer.transactions.producer = Producer("news-1-0", "news-1-1")
    return consumer


def manager(consumer: TransactionalConsumer) -> SourceTransactionManager:
    transactions = consumer.transactions
    assert isinstance(transactions, SourceTransactionManager)
    return transactions


def producer(consumer: TransactionalConsumer) -> Producer:
    fake = manager(consumer).producer
    assert isinstance(fake, Producer)
    return fake


def test_tables_of_the_app_are_transactional(consumer: TransactionalConsumer) -> None:
    assert all(isinstance(table, TransactionalTable) for table in consumer.app.tables.values())


async def test_a_send_goes_in_the_transaction_of_its_input_partition_not_its_destination(
    consumer: TransactionalConsumer,
) -> None:
    transactions = manager(consumer)
    transactions.enter("raw", 1)
    # Keyed to partition 0 of `entries`: Faust would have picked news-1-0 or none at all.
    await transactions.send("entries", b"key", b"value", 0, None, None)
    transactions.enter("entries", 0)
    await transactions.send("enriched", b"key", b"value", None, None, None)
    assert producer(consumer).sent == [("entries", "news-1-1"), ("enriched", "news-1-0")]


async def test_a_tracked_send_keeps_its_record_transaction_after_the_next_record_starts(
    consumer: TransactionalConsumer,
) -> None:
    transactions = manager(consumer)
    transactions.enter("raw", 1)
    transactions.track(transactions.send("changelog", b"k", b"v", 1, None, None))
    transactions.enter("raw", 0)  # the next record, before the tracked send ran
    await transactions.settle()
    assert producer(consumer).sent == [("changelog", "news-1-1")]


async def test_a_failed_tracked_send_is_logged_and_settle_returns(
    consumer: TransactionalConsumer, caplog: pytest.LogCaptureFixture
) -> None:
    transactions = manager(consumer)
    transactions.enter("raw", 5)  # not held: NotOwned inside the task
    transactions.track(transactions.send("changelog", b"k", b"v", 5, None, None))
    await transactions.settle()
    assert "changelog send failed" in caplog.text and producer(consumer).sent == []


@pytest.mark.parametrize("state", ["no record", "not held", "paused", "ended"])
async def test_nothing_is_sent_outside_a_held_open_transaction(
    consumer: TransactionalConsumer, state: str
) -> None:
    transactions = manager(consumer)
    run = asyncio.get_running_loop().create_task  # a fresh context: no record entered
    if state != "no record":
        transactions.enter("raw", 7 if state == "not held" else 0)
    if state == "paused":
        transactions.pause()
    if state == "ended":
        await transactions.commit({RAW0: 1}, start_new_transaction=False)
    send = transactions.send("entries", b"k", b"v", None, None, None)
    with pytest.raises(NotOwned):
        await (run(send) if state == "no record" else send)
    assert ("entries", "news-1-0") not in producer(consumer).sent


async def test_commit_takes_the_offsets_processed_not_faust_acks(consumer: TransactionalConsumer) -> None:
    transactions = manager(consumer)
    # Faust's acks stop at a hole (a transaction marker at 11) and include an event the
    # agent skipped (40): the commit must follow what was processed.
    consumer._acked[RAW0].extend([10, 12, 13, 40])
    consumer._acked_index[RAW0].update([10, 12, 13, 40])
    for offset in (10, 12, 13):
        transactions.done(RAW0, offset)
    assert consumer._new_offset(RAW0) == 14
    assert consumer._new_offset(RAW0) is None  # taken once
    assert consumer._acked[RAW0] == []  # Faust's bookkeeping does not grow


async def test_commit_waits_for_the_record_in_hand(consumer: TransactionalConsumer) -> None:
    transactions = manager(consumer)
    consumer._committed_offset[RAW0] = 0
    monkey_assignment = {RAW0}
    consumer.assignment = lambda: monkey_assignment  # type: ignore[method-assign]
    async with transactions.gate:  # an agent processing a record
        transactions.done(RAW0, 4)
        committing = asyncio.ensure_future(consumer.commit())
        await asyncio.sleep(0.01)
        assert not committing.done() and producer(consumer).committed == []
    assert await committing
    assert producer(consumer).committed == [({"news-1-0": {RAW0: 5}}, True)]


async def test_revocation_commits_what_was_processed_then_pauses(
    consumer: TransactionalConsumer, monkeypatch: pytest.MonkeyPatch
) -> None:
    transactions = manager(consumer)
    consumer.assignment = lambda: {RAW0, RAW1}  # type: ignore[method-assign]
    seen: list[set[TP]] = []

    async def faust_revoke(self: Consumer, revoked: set[TP]) -> None:
        seen.append(revoked)  # Faust forgets the acks of revoked partitions here

    monkeypatch.setattr(Consumer, "on_partitions_revoked", faust_revoke)
    consumer._acked[RAW0].append(8)
    transactions.done(RAW0, 8)
    await consumer.on_partitions_revoked({RAW0, RAW1})
    assert producer(consumer).committed == [({"news-1-0": {RAW0: 9}}, True)]
    assert seen == [{RAW0, RAW1}]
    assert not transactions.owns("raw", 0)  # paused until the next assignment
    await transactions.on_rebalance({RAW0, ENTRIES0}, {RAW1}, set())
    assert transactions.owns("raw", 0)


async def test_producers_follow_the_active_assignment(consumer: TransactionalConsumer) -> None:
    transactions = manager(consumer)
    fake = producer(consumer)
    fake._transaction_producers = dict.fromkeys(["news-1-1", "news-1-5"], object())
    # Actives are partition 0 of raw and entries (one transactional id); 1 and 5 went elsewhere,
    # though Faust's assignor may list them as standbys.
    await transactions.on_rebalance({RAW0, ENTRIES0, RAW1}, set(), {RAW0})
    assert sorted(fake.stopped) == ["news-1-1", "news-1-5"] and fake.begun == ["news-1-0"]
    assert transactions.owns("raw", 0) and not transactions.owns("raw", 1)


async def test_no_commit_after_the_last_one(consumer: TransactionalConsumer) -> None:
    transactions = manager(consumer)
    await transactions.commit({RAW0: 3}, start_new_transaction=False)
    assert transactions.ended
    transactions.done(RAW0, 9)
    assert not await consumer.commit()
    assert len(producer(consumer).committed) == 1


async def test_a_commit_that_hangs_is_logged_with_where_tasks_wait(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from streams.runtime.overrides import transactions

    async def slow() -> str:
        await asyncio.sleep(0.2)
        return "committed"

    monkeypatch.setattr(transactions, "COMMIT_WARNING_SECONDS", 0.05)
    with caplog.at_level(logging.ERROR, logger="newsstream.transactions"):
        assert await transactions.watched(slow(), "transaction commit") == "committed"
    [record] = caplog.records
    assert record.getMessage() == "transaction commit still waiting after 0 s"
    assert any("slow" in line for line in record.tasks)  # type: ignore[attr-defined]

    async def quick() -> str:
        return "committed"

    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="newsstream.transactions"):
        assert await transactions.watched(quick(), "transaction commit") == "committed"
    assert caplog.records == []
