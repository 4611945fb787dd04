"""Exactly-once: every output of an input record in the transaction that commits that record's offset.

Upstream, faust-streaming's exactly-once path (its `TransactionManager`) picks a
record's transaction by the partition the record goes *to*, and falls back to a plain,
non-transactional send when its consumer has no partition for the destination topic;
table changelog writes leave from a background buffer with no record being processed.
Measured on a worker of this pipeline: all 1,346 enriched entries were sent outside any
transaction (visible at once to read_committed consumers, whether or not their input
was committed), and 2,657 of 4,003 transactional sends were in another partition's
transaction than their input's. After a crash those records are seen twice.

Faust also commits offsets that stop at the first gap in its acks (transaction markers
of a transactional input are gaps), forgets the acks of revoked partitions before it
seeks the partitions it keeps back to their committed offsets (while their open
transactions still hold outputs of the records it will process again), and keeps the
producers of partitions its assignor lists as standbys after another worker took them.

Here, with NEWSSTREAM_PROCESSING_GUARANTEE=exactly_once:

- `SourceTransactionManager.send` puts every record (entries, enriched entries, dead
  letters, routed copies) in the transaction of the input partition being processed,
  whose transactional id (`<app id>-<topic group>-<partition>`) is stable across
  restarts and rebalances, so a new owner fences the old one;
- `TransactionalTable` writes changelog records the same way, from the record's own
  context, and the manager waits for them before committing;
- `gate` is held by the agents around each record (processing through its ack) and by a
  commit around its offsets, so a transaction holds exactly the outputs of the offsets it
  commits;
- `TransactionalConsumer` commits one past the last record processed per partition, and
  at a revocation commits what it processed and pauses the agents until the next
  assignment, so no open transaction holds work a seek would have done again;
- the manager holds a transactional producer for exactly the active partitions.

At-least-once mode is untouched: all of this is off unless `app.in_transaction`.

Example:
    >>> SourceTransactionManager.transactional_id_format
    '{group_id}-{tpg.group}-{tpg.partition}'
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Coroutine, Iterator
from typing import Any

import faust
from faust.streams import current_event
from faust.transport.consumer import TransactionManager
from faust.types import TP, FutureMessage, StoreT
from yarl import URL

from streams.errors import RetriableError
from streams.runtime.overrides.committed import CommittedOffsetsThread, CommittedStore
from streams.runtime.overrides.delivery import EagerDeliveryConsumer

#: What this module replaces or relies on (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "faust.transport.consumer.TransactionManager.send": "bc6cc96b66650a3a",
    "faust.transport.consumer.TransactionManager.commit": "fd7680d220343227",
    "faust.transport.consumer.TransactionManager.on_partitions_revoked": "0b3f35158b7b1606",
    "faust.transport.consumer.TransactionManager.on_rebalance": "ec6abaaacd36e331",
    "faust.transport.drivers.aiokafka.Producer.stop_transaction": "51cc0551296eb8ee",
    "faust.transport.drivers.aiokafka.Producer.begin_transaction": "b36f53234d65bb8f",
    "faust.assignor.partition_assignor.PartitionAssignor.assigned_actives": "e0748d7d3bc1ed8a",
    "faust.transport.consumer.Consumer.commit": "e43a7d03685f9206",
    "faust.transport.consumer.Consumer._new_offset": "2b29afe4dd9a65a3",
    "faust.transport.consumer.Consumer.ack": "5548cf0f75843f73",
    "faust.transport.consumer.Consumer.on_partitions_revoked": "652177e770ee66d6",
    "faust.transport.consumer.Consumer.force_commit": "464b62ae917215ab",
    "faust.transport.consumer.Consumer._filter_tps_with_pending_acks": "cccdca32d241b14c",
    "faust.transport.drivers.aiokafka.Producer.send": "72f84e7a1b56328e",
    "faust.transport.drivers.aiokafka.Producer.commit_transactions": "cf922e8ea25a3160",
    "faust.tables.base.Collection.send_changelog": "78a5e11370efe43a",
    "faust.topics.Topic.publish_message": "5233ad2ac1e56018",
    "faust.channels.Channel.as_future_message": "8aab557e14bd7b72",
    "faust.transport.drivers.aiokafka.Consumer._new_consumer_thread": "8fd0d41b15145615",
}


log = logging.getLogger("newsstream.transactions")

#: Seconds after which a commit still waiting is logged, with what every task awaits: past
#: aiokafka's transaction timeout (60 s) the broker has aborted the transaction anyway.
COMMIT_WARNING_SECONDS = 75.0


async def watched(work: Coroutine[Any, Any, Any], what: str) -> Any:
    """Await `work`; if it takes longer than `COMMIT_WARNING_SECONDS`, log where every task waits.

    A commit holds the gate the agents take, so one that never ends stops the worker
    without a word; this says so, once, and goes on waiting.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=COMMIT_WARNING_SECONDS)
    if not done:
        log.error(
            "%s still waiting after %.0f s",
            what,
            COMMIT_WARNING_SECONDS,
            extra={"tasks": _task_stacks()},
        )
    return await task


def _task_stacks() -> list[str]:
    """Where each task of the loop is suspended (innermost frame), for a stall's log line."""
    out = []
    for task in asyncio.all_tasks():
        frames = task.get_stack(limit=1)
        where = f"{frames[0].f_code.co_filename}:{frames[0].f_lineno}" if frames else "?"
        out.append(f"{task.get_name()} {getattr(task.get_coro(), '__qualname__', '?')} at {where}")
    return sorted(out)


#: The transactional id of the input record being processed. Faust's own `current_event()`
#: holds a weak reference, gone by the time a send scheduled from the record runs.
_SOURCE: contextvars.ContextVar[str | None] = contextvars.ContextVar("newsstream_source_id", default=None)


class NotOwned(RetriableError):
    """The input partition of a record is no longer this worker's: its new owner processes it."""


class SourceTransactionManager(TransactionManager):
    """Faust's transaction manager, sending in the transaction of the record being processed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gate = asyncio.Lock()
        self._pending: set[asyncio.Future[Any]] = set()
        self._ended = False  # the last commit (at shutdown) ended the transactions
        self._paused = False  # between a revocation and the next assignment
        self._positions: dict[TP, int] = {}  # one past the last record processed, per partition

    def source_id(self, topic: str, partition: int) -> str:
        """The transactional id of an input partition."""
        group = self.app.assignor.group_for_topic(topic)
        return f"{self.app.conf.id}-{group}-{partition}"

    def owns(self, topic: str, partition: int) -> bool:
        """Whether this worker holds the transaction of an input partition (not revoked)."""
        return self._owns(self.source_id(topic, partition))

    @property
    def ended(self) -> bool:
        """Whether the last commit (at stop) has ended the transactions: nothing more is sent."""
        return self._ended

    def _owns(self, tid: str) -> bool:
        return not (self._ended or self._paused) and tid in self._held()

    def done(self, tp: TP, offset: int) -> None:
        """Record `offset` of `tp` as processed, its outputs sent in the partition's transaction."""
        self._positions[tp] = offset + 1

    def positions(self) -> set[TP]:
        """The partitions with records processed since the last commit."""
        return set(self._positions)

    def take_position(self, tp: TP) -> int | None:
        """The offset to commit for `tp` (one past its last record processed), once."""
        return self._positions.pop(tp, None)

    def pause(self) -> None:
        """Process nothing until the next assignment: positions are about to be sought again."""
        self._paused = True

    def forget_positions(self) -> None:
        """Drop positions not committed (at a revocation, after the commit that could take them)."""
        self._positions.clear()

    def _held(self) -> dict[str, Any]:
        """The transactional producers this worker holds, by transactional id."""
        held: dict[str, Any] = getattr(self.producer, "_transaction_producers", {})
        return held

    def active_ids(self) -> set[str]:
        """The transactional ids of the partitions this worker processes (not its standbys)."""
        return {self.source_id(tp.topic, tp.partition) for tp in self.app.assignor.assigned_actives()}

    async def on_rebalance(self, assigned: set[TP], revoked: set[TP], newly_assigned: set[TP]) -> None:
        """Hold a transactional producer for exactly the active partitions of the new assignment.

        Faust stops the producers of revoked partitions that its assignor does not call
        standbys, but the assignor names the source partitions of standby replicas too:
        a worker kept the producer of a partition given to another worker, which fenced
        it, and when the partition came back the fenced producer was used (and the app
        crashed on ProducerFenced). Here the producers follow the active assignment.
        """
        active, held = self.active_ids(), set(self._held())
        for tid in sorted(held - active):
            await self.producer.stop_transaction(tid)
        for tid in sorted(active - held):
            # A new producer: its epoch fences the previous owner and aborts what it left open.
            await self.producer.maybe_begin_transaction(tid)
        self._paused = False
        if held != active:
            self.log.info(
                "transactional producers: %d held, %d stopped, %d started",
                len(active),
                len(held - active),
                len(active - held),
            )

    async def commit(self, offsets: Any, start_new_transaction: bool = True) -> bool:
        """Commit the offsets in their transactions; the last commit (at stop) ends every one."""
        done = bool(await super().commit(offsets, start_new_transaction=start_new_transaction))
        if not start_new_transaction:
            self._ended = True
        return done

    def enter(self, topic: str, partition: int) -> None:
        """From here on in this context, sends belong to this input record's partition.

        Set, never reset: a record's work may go on in a task of its own (a copy of the
        context), where a reset token would not belong; the next record sets its own.
        """
        _SOURCE.set(self.source_id(topic, partition))

    def _current_id(self) -> str | None:
        tid = _SOURCE.get()
        if tid is None:
            event = current_event()
            if event is not None:
                tid = self.source_id(event.message.topic, event.message.partition)
        return tid

    async def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
        *,
        transactional_id: str | None = None,
    ) -> Any:
        """Send in the transaction of the input record being processed (a record must be)."""
        tid = self._current_id()
        if tid is None:
            raise NotOwned("no_input_record", f"a send to {topic} outside of an input record")
        if not self._owns(tid):
            raise NotOwned("partition_revoked", tid)
        return await self.producer.send(
            topic, key, value, partition, timestamp, headers, transactional_id=tid
        )

    def track(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run `work` (a send) as a task in the current record's transaction; commits wait for it."""
        context = contextvars.copy_context()
        context.run(_SOURCE.set, self._current_id())
        task = asyncio.get_running_loop().create_task(work, context=context)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def settle(self) -> None:
        """Wait for every tracked send to be in its transaction (a failed one is logged)."""
        while self._pending:
            for result in await asyncio.gather(*list(self._pending), return_exceptions=True):
                if isinstance(result, BaseException):
                    log.warning("changelog send failed", extra={"error_class": type(result).__name__})

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        """No record is half processed when partitions go: take the gate, settle, flush."""
        async with self.gate:
            await self.settle()
            await super().on_partitions_revoked(revoked)


class TransactionalTable(faust.Table[Any, Any]):
    """A Faust table whose changelog writes are in the transaction of the record that made them."""

    def _new_store_by_url(self, url: str | URL) -> StoreT[Any, Any]:
        """Faust's store for `url`; RocksDB as a `CommittedStore` (see overrides/committed.py)."""
        if URL(str(url)).scheme != "rocksdb":
            return super()._new_store_by_url(url)
        return CommittedStore(
            url,
            self.app,
            self,
            table_name=self.name,
            key_type=self.key_type,
            key_serializer=self.key_serializer,
            value_serializer=self.value_serializer,
            value_type=self.value_type,
            loop=self.loop,
            options=self.options,
        )

    def send_changelog(
        self,
        partition: int | None,
        key: Any,
        value: Any,
        key_serializer: Any = None,
        value_serializer: Any = None,
    ) -> FutureMessage:
        """Faust's changelog send; in exactly-once mode through the record's transaction."""
        transactions = self.app.consumer.transactions if self.app.in_transaction else None
        if not isinstance(transactions, SourceTransactionManager):
            return super().send_changelog(partition, key, value, key_serializer, value_serializer)
        fut = self.changelog_topic.as_future_message(
            key=key,
            value=value,
            partition=partition,
            key_serializer=key_serializer or self.key_serializer,
            value_serializer=value_serializer or self.value_serializer,
            callback=self._on_changelog_sent,
        )
        transactions.track(self.changelog_topic.publish_message(fut))
        return fut


class TransactionalConsumer(EagerDeliveryConsumer):
    """The worker's consumer: eager delivery, and in exactly-once mode our transactions and a gated commit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.in_transaction:
            self.transactions = SourceTransactionManager(
                self.transport,
                consumer=self,
                producer=self.app.producer,
                beacon=self.beacon,
                loop=self.loop,
            )

    def _source_transactions(self) -> SourceTransactionManager | None:
        """Our transaction manager in exactly-once mode; None in at-least-once mode."""
        found = self.transactions if self.in_transaction else None
        return found if isinstance(found, SourceTransactionManager) else None

    def _new_consumer_thread(self) -> CommittedOffsetsThread:
        """The aiokafka thread, asking the broker for highwaters (see overrides/committed.py)."""
        return CommittedOffsetsThread(self, loop=self.loop, beacon=self.beacon)

    async def commit(self, topics: Any = None, start_new_transaction: bool = True) -> bool:
        """Commit; in exactly-once mode only between records, after every tracked send."""
        transactions = self._source_transactions()
        if transactions is None:
            return bool(await super().commit(topics, start_new_transaction=start_new_transaction))
        if transactions.ended:
            return False  # the transactions were ended (Faust's `wait_empty` at stop does so)
        async with transactions.gate:
            await transactions.settle()
            commit = super().commit(topics, start_new_transaction=start_new_transaction)
            return bool(await watched(commit, "transaction commit"))

    def _new_offset(self, tp: TP) -> int | None:
        """The offset to commit for `tp`: in exactly-once mode, one past the last record processed.

        Faust commits the end of the first run of consecutive acked offsets. The commit
        markers of transactional input topics are offsets no record has, which Faust
        learns of only when a later record arrives, so its offset lags the records whose
        outputs are already in the transaction, and those are processed again after a
        crash. Faust's stream also acks events the agent skipped (a partition no longer
        owned). Here the agents record each record they processed in its transaction
        (`SourceTransactionManager.done`), in order, under the gate the commit holds.
        """
        transactions = self._source_transactions()
        if transactions is None:
            return super()._new_offset(tp)
        # Faust's own bookkeeping is not used: emptied so that it does not grow.
        self._acked[tp].clear()
        self._acked_index[tp].clear()
        self._gap.pop(tp, None)
        return transactions.take_position(tp)

    def _filter_tps_with_pending_acks(self, topics: Any = None) -> Iterator[TP]:
        """The partitions to commit: in exactly-once mode those with records processed too."""
        transactions = self._source_transactions()
        if transactions is None:
            return super()._filter_tps_with_pending_acks(topics)
        tps = transactions.positions() | set(self._acked)
        return iter([tp for tp in tps if topics is None or tp in topics or tp.topic in topics])

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        """In exactly-once mode, commit what is processed before Faust forgets it, then pause.

        Faust drops its acks of revoked partitions first thing, then seeks every partition it
        keeps back to its committed offset after the rebalance. Outputs of records processed
        since the last commit were then still in the open transaction of a kept partition
        and were sent a second time when those records came again (510 duplicates when a
        worker joined). Committing here, with the gate held and the agents paused until
        the next assignment, leaves nothing in any transaction that the seek would redo.
        """
        transactions = self._source_transactions()
        if transactions is not None:
            async with transactions.gate:
                transactions.pause()
                await transactions.settle()
                if not transactions.ended:
                    await watched(self.force_commit(), "commit at revocation")
                transactions.forget_positions()
        await super().on_partitions_revoked(revoked)
