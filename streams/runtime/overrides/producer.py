"""The worker's producer: requests that carry every batch waiting for a broker, keys hashed once.

Upstream: aiokafka's `MessageAccumulator.drain_by_nodes` hands the sender only the
batches whose own linger is over; Faust's aiokafka `Producer` builds a plain
`AIOKafkaProducer` (its `_producer_type`). Here the accumulator of every producer the
worker builds drains whole nodes, and the partitioner remembers key hashes.

aiokafka lingers per partition and sends only the batches whose linger is over. A worker
writes to dozens of partitions (entries, enriched, table changelogs), their batches expire
at staggered times, and each expiry became a produce request of its own: about five
messages per request, one socket write and one broker request each. The Java client
(and franz-go) send a broker every batch waiting for it as soon as one is ready. Doing
the same here cut produce requests about fivefold and worker CPU per article by about
9 % (docs/performance.md).

Relies on aiokafka's accumulator internals (pinned in pyproject; a unit test checks
they are still there), so `install()` leaves a producer alone when they are missing.

`KeyPartitioner` is aiokafka's default partitioner (murmur2, as the Java client) with
each key's hash remembered: every entry of an article, its enriched copy and its table
update share the article id as key, and the hash is pure Python (5 µs a call).

Example:
    >>> from aiokafka import AIOKafkaProducer
    >>> async def make() -> bool:
    ...     producer = AIOKafkaProducer(bootstrap_servers="localhost:9092")
    ...     return install(producer)
    >>> import asyncio; asyncio.run(make())
    True
"""

from __future__ import annotations

import collections
import logging
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import LeaderNotAvailableError, NotLeaderForPartitionError
from aiokafka.partitioner import DefaultPartitioner, murmur2
from aiokafka.producer.message_accumulator import MessageAccumulator, MessageBatch
from faust.transport.drivers.aiokafka import Producer

log = logging.getLogger("newsstream.producer")

#: What this module replaces or relies on (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "aiokafka.producer.message_accumulator.MessageAccumulator.drain_by_nodes": "cc2f3eafe1e19ba6",
    "aiokafka.producer.message_accumulator.MessageAccumulator.__init__": "19205cdd4e7cc20f",
    "aiokafka.producer.message_accumulator.MessageAccumulator._pop_batch": "6dc3d1b621452ef1",
    "aiokafka.producer.sender.Sender._sender_routine": "c07b5ec56875658f",
    "faust.transport.drivers.aiokafka.Producer._producer_type": "1125698750a34000",
    "faust.transport.drivers.aiokafka.Producer._new_producer": "a1bef421b9909a72",
}

#: What `drain_by_nodes` below reads of aiokafka's accumulator and batches.
_ACCUMULATOR_NEEDS = ("_batches", "_cluster", "_pop_batch", "_waiter_future", "_wakeup_handle", "_wakeup")
_BATCH_NEEDS = ("remaining_linger", "expired", "is_empty", "done_noack", "failure")


def supported(accumulator: Any) -> bool:
    """Whether this aiokafka's accumulator has what the whole-node drain relies on."""
    return all(hasattr(accumulator, name) for name in _ACCUMULATOR_NEEDS) and all(
        hasattr(MessageBatch, name) for name in _BATCH_NEEDS
    )


class NodeDrainAccumulator(MessageAccumulator):  # type: ignore[misc]  # aiokafka is untyped
    """aiokafka's accumulator, except that a broker with one ready batch gets all of its batches."""

    def drain_by_nodes(
        self, ignore_nodes: Any, muted_partitions: Any = frozenset()
    ) -> tuple[dict[int, dict[Any, Any]], bool]:
        """Batches to send, grouped by leader, and whether some partition has no known leader.

        The same contract as aiokafka's: muted partitions and nodes with a request in
        flight wait, expired batches without a leader fail, and a wakeup is scheduled for
        the next linger to end.
        """
        nodes: dict[int, dict[Any, Any]] = collections.defaultdict(dict)
        unknown_leaders_exist = False
        lingering: list[tuple[Any, int, float]] = []
        for tp in list(self._batches):
            if tp in muted_partitions:
                continue
            leader = self._cluster.leader_for_partition(tp)
            if leader is None or leader == -1:
                if self._batches[tp][0].expired():
                    error = NotLeaderForPartitionError() if leader is None else LeaderNotAvailableError()
                    self._pop_batch(tp).failure(exception=error)
                unknown_leaders_exist = True
                continue
            if ignore_nodes and leader in ignore_nodes:
                continue
            remaining = self._batches[tp][0].remaining_linger()
            if remaining:
                lingering.append((tp, leader, remaining))
            else:
                self._take(nodes, leader, tp)
        next_wakeup: float | None = None
        for tp, leader, remaining in lingering:
            if leader in nodes:
                self._take(nodes, leader, tp)  # rides along in the request that goes anyway
            else:
                next_wakeup = remaining if next_wakeup is None else min(next_wakeup, remaining)
        self._rearm(next_wakeup)
        return nodes, unknown_leaders_exist

    def _take(self, nodes: dict[int, dict[Any, Any]], leader: int, tp: Any) -> None:
        batch = self._pop_batch(tp)
        if batch.is_empty():
            batch.done_noack()  # every append failed validation: only the delivery future
        else:
            nodes[leader][tp] = batch

    def _rearm(self, next_wakeup: float | None) -> None:
        """Wake the sender for new data, or when the next lingering batch is due."""
        # aiokafka assigns these in an unannotated __init__: mypy cannot type them.
        waiter: Any = self._waiter_future  # type: ignore[has-type]
        if not waiter.done():
            waiter.set_result(None)
        waiter = self._waiter_future = self._loop.create_future()
        handle: Any = self._wakeup_handle  # type: ignore[has-type]
        if handle:
            handle.cancel()
            self._wakeup_handle = None
        if next_wakeup:
            self._wakeup_handle = self._loop.call_later(next_wakeup, self._wakeup, waiter)


def install(producer: AIOKafkaProducer) -> bool:
    """Make an aiokafka producer drain whole nodes; False (and a warning) when unsupported."""
    accumulator = producer._message_accumulator
    if type(accumulator) is not MessageAccumulator or not supported(accumulator):
        log.warning("aiokafka %s: produce requests are batched per partition", type(accumulator).__name__)
        return False
    # The sender holds this very object, so its class is changed rather than replaced.
    accumulator.__class__ = NodeDrainAccumulator
    return True


class NodeBatchingProducer(AIOKafkaProducer):  # type: ignore[misc]  # aiokafka is untyped
    """An aiokafka producer whose requests carry every batch waiting for the broker."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        install(self)


class FaustProducer(Producer):
    """Faust's aiokafka producer driver, building `NodeBatchingProducer`s (EOS ones too)."""

    @property
    def _producer_type(self) -> type[AIOKafkaProducer]:
        return NodeBatchingProducer


class KeyPartitioner:
    """aiokafka's `DefaultPartitioner`, remembering the hash of the last `size` keys.

    Example:
        >>> KeyPartitioner()(b"article-1", [0, 1, 2, 3], [0, 1, 2, 3])
        0
    """

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._hashes: dict[bytes, int] = {}

    def __call__(self, key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
        if key is None:
            return int(DefaultPartitioner()(key, all_partitions, available))
        hashed = self._hashes.get(key)
        if hashed is None:
            if len(self._hashes) >= self._size:
                self._hashes.clear()  # keys are article ids: a batch of articles at a time repeats
            hashed = self._hashes[key] = murmur2(key) & 0x7FFFFFFF
        return all_partitions[hashed % len(all_partitions)]
