"""Whole-node produce requests: what the accumulator hands the sender, on aiokafka's own classes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.producer.message_accumulator import MessageAccumulator
from aiokafka.structs import TopicPartition
from prometheus_client import CollectorRegistry

from streams.runtime.app import build
from streams.runtime.overrides.producer import (
    KeyPartitioner,
    NodeBatchingProducer,
    NodeDrainAccumulator,
    install,
    supported,
)
from streams.settings import Settings

A0, A1, B0, C0 = (TopicPartition(t, p) for t, p in (("a", 0), ("a", 1), ("b", 0), ("c", 0)))
LEADERS = {A0: 1, A1: 1, B0: 2, C0: None}


class Cluster:
    """The one thing the accumulator asks the cluster metadata."""

    def leader_for_partition(self, tp: TopicPartition) -> int | None:
        return LEADERS[tp]


async def accumulator(cls: type[MessageAccumulator], *ready: TopicPartition) -> MessageAccumulator:
    """One message waiting on A0, A1 and B0; the partitions in `ready` have lingered enough."""
    acc = cls(Cluster(), 16384, 0, 30, linger_ms=10_000)
    for tp in (A0, A1, B0):
        await acc.add_message(tp, b"k", b"v", timeout=1)
    for tp in ready:
        acc._batches[tp][0]._ctime -= 20  # older than the linger
    return acc


def drained(acc: MessageAccumulator, **kwargs: object) -> dict[int, set[TopicPartition]]:
    nodes, _ = acc.drain_by_nodes(**{"ignore_nodes": set(), **kwargs})
    return {node: set(batches) for node, batches in nodes.items()}


async def test_one_ready_batch_takes_every_batch_for_its_broker() -> None:
    acc = await accumulator(NodeDrainAccumulator, A0)
    assert drained(acc) == {1: {A0, A1}}  # B0's broker has nothing ready: it lingers on
    assert set(acc._batches[B0]) and not acc._batches[A1]
    assert acc._wakeup_handle is not None  # the sender wakes when B0 is due


async def test_aiokafka_alone_sends_only_the_expired_batch() -> None:
    # What the subclass changes; if aiokafka starts doing the same, this module can go.
    acc = await accumulator(MessageAccumulator, A0)
    assert drained(acc) == {1: {A0}}


async def test_nothing_ready_sends_nothing_and_waits() -> None:
    acc = await accumulator(NodeDrainAccumulator)
    assert drained(acc) == {}
    assert acc._wakeup_handle is not None


async def test_busy_brokers_and_muted_partitions_wait() -> None:
    acc = await accumulator(NodeDrainAccumulator, A0, B0)
    assert drained(acc, ignore_nodes={1}) == {2: {B0}}  # a request is in flight to broker 1
    acc = await accumulator(NodeDrainAccumulator, A0)
    assert drained(acc, muted_partitions={A1}) == {1: {A0}}  # A1 has a batch in flight


async def test_an_expired_batch_without_a_leader_fails() -> None:
    acc = NodeDrainAccumulator(Cluster(), 16384, 0, 0.001, linger_ms=0)
    sent = await acc.add_message(C0, b"k", b"v", timeout=1)
    await asyncio.sleep(0.01)
    nodes, unknown = acc.drain_by_nodes(ignore_nodes=set())
    assert unknown and not nodes
    with pytest.raises(Exception, match="NotLeaderForPartition"):
        await sent


async def test_the_producers_the_worker_builds_drain_whole_brokers(tmp_path: Path) -> None:
    producer = NodeBatchingProducer(bootstrap_servers="localhost:9")
    assert type(producer._message_accumulator) is NodeDrainAccumulator
    assert supported(producer._message_accumulator)  # aiokafka still has what it relies on
    assert not install(producer)  # once is enough
    worker = build(Settings(cache_dir=tmp_path, state_dir=tmp_path), CollectorRegistry())
    assert worker.app.producer._producer_type is NodeBatchingProducer
    assert isinstance(NodeBatchingProducer(bootstrap_servers="localhost:9"), AIOKafkaProducer)


def test_keys_go_where_the_java_client_and_aiokafka_put_them() -> None:
    remembered, default = KeyPartitioner(size=7), DefaultPartitioner()
    for i in range(500):
        key = f"article-{i % 60}".encode()  # repeats, and overflows the remembered hashes
        parts = list(range(1 + i % 12))
        assert remembered(key, parts, parts) == default(key, parts, parts)
    assert remembered(None, [0, 1], [1]) == 1  # no key: any available partition
    assert len(remembered._hashes) <= 7
