"""Shared machinery of the fault tests: a known input set, kills at random points, a full drain."""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.synth import Synth
from schemas import RawArticle
from streams.codec import encode
from streams.deadletter import parse_headers
from streams.pipeline import Pipeline
from streams.settings import Settings


def fault_env(env: dict[str, str]) -> dict[str, str]:
    """`env` for a fault run: exact expected ids, quiet JSON logs unless FAULT_LOG_LEVEL says."""
    # Learnt boilerplate depends on processing order; switched off so expected ids are exact.
    # FAULT_LOG_LEVEL=info keeps per-article logs of the workers (under pytest's tmp dir).
    # The faults are about delivery, not tags: the fast tagger keeps runs of 2,000 articles
    # short (FAULT_TAGGER=accurate runs them with the default one).
    return {
        **env,
        "NEWSSTREAM_TAGGER": os.environ.get("FAULT_TAGGER", "fast"),
        "NEWSSTREAM_BOILERPLATE_THRESHOLD": "1000000",
        "NEWSSTREAM_LOG_LEVEL": os.environ.get("FAULT_LOG_LEVEL", "warning"),
        "NEWSSTREAM_LOG_FORMAT": "json",
    }


BAD = [b"{not json", b'{"source": "s"}', b'{"source": "s", "content": "caf\xe9"}', b"[]"]


@dataclass
class Inputs:
    """Articles with the entry ids the pipeline must produce, plus bad messages."""

    raws: list[RawArticle]
    expected: dict[str, set[str]]  # article id -> entry ids
    bad: list[bytes]

    @classmethod
    def make(cls, articles: int, bad: int, seed: int) -> Inputs:
        raws = Synth(seed).mix(articles)
        pipeline = Pipeline.from_settings(Settings())
        expected = {raw.article_id or "": {e.entry_id for e in pipeline.split(raw)} for raw in raws}
        return cls(raws, expected, [BAD[i % len(BAD)] for i in range(bad)])

    @property
    def entry_ids(self) -> set[str]:
        return set().union(*self.expected.values())

    async def publish(self, bootstrap: str, topic: str, partitions: int = 2, replication: int = 1) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:  # as `newsstream produce` does: never let the broker auto-create it with 1 partition
            if topic not in await admin.list_topics():
                await admin.create_topics([NewTopic(topic, partitions, replication)])
        finally:
            await admin.close()
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
        await producer.start()
        try:
            sends = [
                await producer.send(topic, encode(r), key=(r.article_id or "").encode()) for r in self.raws
            ]
            sends += [
                await producer.send(topic, value, key=f"bad-{i}".encode()) for i, value in enumerate(self.bad)
            ]
            await asyncio.gather(*sends)
        finally:
            await producer.stop()


@dataclass
class Outcome:
    """What a fresh consumer finds in the outputs after a fault run."""

    entry_records: int = 0
    entries: Counter[tuple[str, int]] = field(default_factory=Counter)
    dead_letters: set[tuple[int, int]] = field(default_factory=set)  # original (partition, offset)
    dead_letter_records: int = 0
    articles: set[str] = field(default_factory=set)

    @property
    def duplicates(self) -> int:
        return self.entry_records - len(self.entries)

    def entry_ids(self) -> set[str]:
        return {entry_id for entry_id, _ in self.entries}


async def drain(
    bootstrap: str,
    enriched: str,
    deadletter: str,
    inputs: Inputs,
    timeout: float = 240.0,
    isolation: str = "read_uncommitted",
) -> Outcome:
    """Read both outputs from the start until every expected entry and dead letter is there."""
    out = Outcome()
    consumer = AIOKafkaConsumer(
        enriched,
        deadletter,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        isolation_level=isolation,
    )
    await consumer.start()
    want = inputs.entry_ids
    deadline = time.monotonic() + timeout
    quiet_since = None
    try:
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for r in records:
                    if r.topic == enriched:
                        entry = json.loads(r.value)
                        out.entry_records += 1
                        out.entries[(entry["entry_id"], entry["revision"])] += 1
                        out.articles.add(entry["article_id"])
                    else:
                        h = parse_headers(list(r.headers))
                        out.dead_letters.add((h.original_partition, h.original_offset))
                        out.dead_letter_records += 1
            complete = want <= out.entry_ids() and len(out.dead_letters) >= len(inputs.bad)
            if complete:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since > 3:  # late duplicates still count
                    break
        return out
    finally:
        await consumer.stop()


async def count_enriched(bootstrap: str, topic: str) -> int:
    """Records in `topic` now (sum of end offsets)."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        parts = consumer.partitions_for_topic(topic) or set()
        from aiokafka.structs import TopicPartition

        ends = await consumer.end_offsets([TopicPartition(topic, p) for p in parts])
        return sum(ends.values())
    finally:
        await consumer.stop()


def kill_points(total: int, kills: int, seed: int) -> list[int]:
    """Enriched-record counts at which to kill: spread over the run, jittered at random."""
    rng = random.Random(seed)
    return sorted(int(total * (i + rng.uniform(0.3, 0.7)) / (kills + 1)) for i in range(kills))


def report(
    name: str, inputs: Inputs, out: Outcome, kills: int, seconds: float, path: Path
) -> dict[str, object]:
    """The figures of a fault run, printed and appended to a JSON lines file."""
    lost = len(inputs.entry_ids - out.entry_ids())
    figures = {
        "test": name,
        "articles": len(inputs.raws),
        "bad_messages": len(inputs.bad),
        "kills": kills,
        "entries_expected": len(inputs.entry_ids),
        "entries_lost": lost,
        "entry_records": out.entry_records,
        "duplicates": out.duplicates,
        "dead_letters": len(out.dead_letters),
        "seconds": round(seconds, 1),
    }
    print(f"\n{name}: {figures}")
    with path.open("a") as fh:
        fh.write(json.dumps(figures) + "\n")
    return figures


async def locate(bootstrap: str, topic: str, group: str, entry_ids: set[str]) -> dict[str, object]:
    """Where missing entries sit on `topic` against the group's committed offsets.

    Tells a commit that skipped unprocessed records (offset < committed) from a worker
    that stopped short of them (offset >= committed).
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        committed = {
            tp.partition: meta.offset
            for tp, meta in (await admin.list_consumer_group_offsets(group)).items()
            if tp.topic == topic
        }
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    found: dict[int, list[int]] = {}
    try:
        while sum(len(v) for v in found.values()) < len(entry_ids):
            batch = await consumer.getmany(timeout_ms=2000)
            if not batch:
                break
            for records in batch.values():
                for r in records:
                    if json.loads(r.value)["entry_id"] in entry_ids:
                        found.setdefault(r.partition, []).append(r.offset)
    finally:
        await consumer.stop()
    return {
        str(p): {"committed": committed.get(p), "missing_offsets": [min(o), max(o)], "count": len(o)}
        for p, o in sorted(found.items())
    }


async def group_members(bootstrap: str, group: str) -> tuple[str, int]:
    """The consumer group's state and how many members the broker still counts."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        (response,) = await admin.describe_consumer_groups([group])
        (described,) = response.groups
        _error, _group, state, _protocol_type, _protocol, members = described[:6]
        return state, len(members)
    finally:
        await admin.close()
