"""What the split and enrich agents do with each event: decode, call the pipeline, send, count.

The agents themselves (`streams.runtime.agents`) are loops over their streams that call
`Stages.split_one` and `Stages.enrich_batch`. Every event is handled on its own: bad
input and failures of the pure code become dead letters with a reason, so one message
never stops an agent (Faust would skip the offset of an event whose agent raised).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from faust.types import EventT, TopicT

from schemas.messages import EnrichedEntry, Entry
from streams.codec import decode_entry, decode_raw, encode
from streams.deadletter import Headers, headers_for
from streams.enrich import ArticleContext
from streams.errors import DeadLetterError, LimitExceeded, NewsstreamError, ProcessingError
from streams.metrics import Metrics
from streams.pipeline import Pipeline
from streams.routing import Router
from streams.runtime.overrides.transactions import NotOwned, SourceTransactionManager
from streams.runtime.stories import StoryStages
from streams.runtime.tables import ArticleStates
from streams.settings import Settings
from streams.split import LineStore, ensure_article_id
from streams.stories import STORY_KINDS

log = logging.getLogger("newsstream.handlers")

#: Articles whose name context the enrich stage keeps (their entries arrive together).
CONTEXTS_KEPT = 2000

#: Header on `news.entries` carrying the raw article's publish time (ms), for e2e latency.
RAW_TS_HEADER = "newsstream-raw-timestamp-ms"


@dataclass(frozen=True)
class Topics:
    """The Faust topics the agents read and write."""

    raw: TopicT
    entries: TopicT
    enriched: TopicT
    deadletter: TopicT
    bands: TopicT | None = None  # story stage (internal), when stories are on
    matches: TopicT | None = None


def _header(headers: Any, name: str) -> bytes | None:
    """One header value, whether Faust hands headers over as a mapping or as pairs."""
    if not headers:
        return None
    if isinstance(headers, Mapping):
        value = headers.get(name)
        return bytes(value) if value is not None else None
    for key, value in headers:
        if key == name:
            return bytes(value)
    return None


@dataclass
class Stages:
    """What both agents share: the pipeline, topics, metrics and read positions."""

    pipeline: Pipeline
    topics: Topics
    metrics: Metrics
    settings: Settings
    article_state: ArticleStates
    lines: LineStore | None = None
    router: Router | None = None
    contexts: OrderedDict[str, ArticleContext] = field(default_factory=OrderedDict)
    routed: Mapping[str, TopicT] = field(default_factory=dict)
    positions: dict[tuple[str, int], int] = field(default_factory=dict)
    producer: Any = field(default=None, repr=False)  # set by the first `send`
    transactions: SourceTransactionManager | None = field(default=None, repr=False)  # exactly-once
    stories: StoryStages | None = None

    def _transactions(self) -> SourceTransactionManager | None:
        """The worker's transaction manager in exactly-once mode (found at the first record)."""
        if self.transactions is None and self.settings.processing_guarantee == "exactly_once":
            found = self.topics.raw.app.consumer.transactions
            self.transactions = found if isinstance(found, SourceTransactionManager) else None
        return self.transactions

    async def _exactly_once(
        self, transactions: SourceTransactionManager, event: EventT[bytes], work: Any
    ) -> None:
        """Run one record's work inside its transaction: between commits, then acknowledged.

        The gate keeps a commit from falling inside a record; the explicit ack puts the
        record's offset in the commit that carries its outputs. A record of a partition
        this worker no longer owns is left to its new owner.
        """
        async with transactions.gate:
            message = event.message
            if not transactions.owns(message.topic, message.partition):
                work.close()
                return
            transactions.enter(message.topic, message.partition)
            try:
                await work
            except NotOwned:
                return
            transactions.done(message.tp, message.offset)
            event.ack()

    @property
    def input_topics(self) -> frozenset[str]:
        """The topics the agents consume."""
        story = (
            {self.settings.topic_story_bands, self.settings.topic_story_matches} if self.stories else set()
        )
        return frozenset({self.settings.topic_raw, self.settings.topic_entries, *story})

    def done(self, event: EventT[bytes], stage: str) -> None:
        """Record the event's offset as processed and the stage's last activity."""
        msg = event.message
        self.positions[(msg.topic, msg.partition)] = msg.offset + 1
        self.metrics.child(self.metrics.last_processed, stage).set(time.time())

    async def send(
        self,
        topic: TopicT,
        key: bytes | None,
        value: bytes | None,
        headers: Headers | None = None,
        partition: int | None = None,
    ) -> None:
        """Hand one message to the producer; delivery is checked in `_delivered`.

        Straight to Faust's producer rather than `topic.send`, whose per-message futures
        and sensor calls took about 6 % of a busy worker's CPU. Nothing changes for the
        guarantee: Faust flushes this producer before it commits offsets, and in
        exactly-once mode `maybe_start_producer` is the transaction manager.
        """
        producer = self.producer
        if producer is None:
            # Asked once: `maybe_start_producer` is a stampede guard that yields to the loop
            # three times and makes a future on every call, so every event suspended and
            # needed a task. What it returns (the app's producer, or the consumer's
            # transaction manager) is the same object for the app's life.
            producer = self.producer = await topic.app.maybe_start_producer()
        name = topic.get_topic_name()
        sent = await producer.send(name, key, value, partition, None, headers)
        if isinstance(sent, asyncio.Future):
            sent.add_done_callback(partial(self._delivered, name))

    def _delivered(self, topic: str, sent: asyncio.Future[Any]) -> None:
        """Count and log a message the producer gave up on (after its own retries)."""
        error = None if sent.cancelled() else sent.exception()
        if sent.cancelled() or error is not None:
            self.metrics.send_errors.labels(topic).inc()
            log.error("send failed", extra={"topic": topic, "error_class": type(error).__name__})

    async def dead_letter(self, event: EventT[bytes], stage: str, error: NewsstreamError) -> None:
        """Publish the original bytes with the reason, count it, log it without the payload."""
        msg = event.message
        await self.send(
            self.topics.deadletter,
            msg.key,
            msg.value,
            headers_for(msg.topic, msg.partition, msg.offset, stage, error),
        )
        self.metrics.dead_letters.labels(stage, error.reason).inc()
        log.warning(
            "dead letter",
            extra={
                "stage": stage,
                "reason": error.reason,
                "error_class": type(error).__name__,
                "topic": msg.topic,
                "partition": msg.partition,
                "offset": msg.offset,
                "detail": error.detail,
            },
        )
        self.done(event, stage)

    async def one(self, event: EventT[bytes], work: Coroutine[Any, Any, None]) -> None:
        """Run one event's work, inside its transaction in exactly-once mode."""
        transactions = self._transactions()
        if transactions is not None:
            await self._exactly_once(transactions, event, work)
        else:
            await work

    async def split_one(self, event: EventT[bytes]) -> None:
        """Split one raw article and publish its entries (or a dead letter)."""
        transactions = self._transactions()
        if transactions is not None:
            await self._exactly_once(transactions, event, self._split_one(event))
        else:
            await self._split_one(event)

    async def _split_one(self, event: EventT[bytes]) -> None:
        started = time.perf_counter()
        self.metrics.articles_consumed.inc()
        msg = event.message
        try:
            raw = ensure_article_id(decode_raw(msg.value, max_bytes=self.settings.max_message_bytes))
            article_id = raw.article_id or ""
            update = self.pipeline.update(
                raw,
                self.article_state.get(article_id),
                self.lines,
                source=[msg.topic, msg.partition, msg.offset],
            )
            publish = update.publish
            values = [self._encoded(entry) for entry in publish]
        except DeadLetterError as exc:
            await self.dead_letter(event, "split", exc)
            return
        except Exception as exc:  # a bug on one input must not stop the agent
            log.exception("split failed topic=%s offset=%s", msg.topic, msg.offset)
            await self.dead_letter(event, "split", ProcessingError("split_failed", type(exc).__name__))
            return
        self.metrics.entries_unchanged.inc(len(update.entries) - len(publish))
        headers = [(RAW_TS_HEADER, str(int(event.message.timestamp * 1000)).encode())]
        for entry, value in zip(publish, values, strict=True):
            await self.send(self.topics.entries, entry.article_id.encode(), value, headers)
            self.metrics.child(self.metrics.entries_produced, "split", entry.kind).inc()
        # After the entries: the state's changelog record then reaches the producer after
        # them, so a worker killed in between restores a state that has not yet seen them
        # and sends them again (at-least-once) instead of never (see overrides/committed.py).
        self.article_state[article_id] = update.state
        self.metrics.child(self.metrics.stage_duration, "split").observe(time.perf_counter() - started)
        self.done(event, "split")
        if log.isEnabledFor(logging.INFO):  # the extra fields cost more than a skipped call
            log.info(
                "article split",
                extra={
                    "article_id": article_id,
                    "entries": len(update.entries),
                    "published": len(publish),
                    "entry_ids": [e.entry_id for e in publish],
                },
            )

    async def enrich_batch(self, events: Sequence[EventT[bytes]]) -> None:
        """Tag a batch of entries, article by article, and publish them."""
        transactions = self._transactions()
        if transactions is not None:
            for event in events:
                await self._exactly_once(transactions, event, self._enrich_batch([event]))
        else:
            await self._enrich_batch(events)

    async def _enrich_batch(self, events: Sequence[EventT[bytes]]) -> None:
        groups: dict[str, list[tuple[EventT[bytes], Entry]]] = {}
        for event in events:
            try:
                entry = decode_entry(event.message.value, max_bytes=self.settings.max_message_bytes)
            except DeadLetterError as exc:
                await self.dead_letter(event, "enrich", exc)
                continue
            groups.setdefault(entry.article_id, []).append((event, entry))
        for items in groups.values():
            await self._enrich_article(items)

    async def _enrich_article(self, items: list[tuple[EventT[bytes], Entry]]) -> None:
        started = time.perf_counter()
        try:
            enriched = self.pipeline.enrich(
                [entry for _, entry in items], self._context(items[0][1].article_id)
            )
        except Exception as exc:  # a bug on one article must not stop the agent
            log.exception("enrich failed article=%s", items[0][1].article_id)
            for event, _ in items:
                await self.dead_letter(event, "enrich", ProcessingError("enrich_failed", type(exc).__name__))
            return
        per_entry = (time.perf_counter() - started) / len(items)
        for (event, _), out in zip(items, enriched, strict=True):
            raw_ms = _raw_ms(event)
            if self.stories is not None and out.kind in STORY_KINDS:
                at = raw_ms / 1000 if raw_ms is not None else float(event.message.timestamp)
                await self.stories.submit(self, event, out, at, raw_ms)
            else:
                await self.publish_enriched(event, out, raw_ms)
            self.metrics.child(self.metrics.stage_duration, "enrich").observe(per_entry)
            self.done(event, "enrich")
        if log.isEnabledFor(logging.INFO):
            log.info(
                "entries enriched",
                extra={
                    "article_id": enriched[0].article_id,
                    "entry_ids": [e.entry_id for e in enriched],
                    "tags": sum(len(e.tags) for e in enriched),
                },
            )

    def _context(self, article_id: str) -> ArticleContext:
        """What earlier entries of this article said (full names), kept for the last articles."""
        ctx = self.contexts.pop(article_id, None) or ArticleContext()
        self.contexts[article_id] = ctx  # most recent last
        while len(self.contexts) > CONTEXTS_KEPT:
            self.contexts.popitem(last=False)
        return ctx

    def _encoded(self, entry: Entry) -> bytes:
        """The wire bytes of an entry; `LimitExceeded` when the producer could not send them."""
        value = encode(entry)
        if len(value) > self.settings.max_output_bytes:
            raise LimitExceeded(
                "entry_too_large",
                f"entry {entry.position} encodes to {len(value)} bytes > {self.settings.max_output_bytes}",
            )
        return value

    async def publish_enriched(self, event: EventT[bytes], out: EnrichedEntry, raw_ms: int | None) -> None:
        """Publish an enriched entry (and its routes), count it and its end-to-end latency."""
        try:
            key, value = out.article_id.encode(), self._encoded(out)
        except LimitExceeded as exc:
            await self.dead_letter(event, "enrich", exc)
            return
        await self.send(self.topics.enriched, key, value)
        for route, topic in self.router.route(out) if self.router is not None else ():
            await self.send(self.routed[topic], key, value)
            self.metrics.child(self.metrics.entries_routed, route).inc()
        self.metrics.child(self.metrics.entries_produced, "enrich", out.kind).inc()
        for tag_type, count in Counter(tag.type for tag in out.tags).items():
            self.metrics.child(self.metrics.tags, tag_type).inc(count)
        if raw_ms is not None:
            self.metrics.end_to_end_latency.observe(max(0.0, time.time() - raw_ms / 1000))


def _raw_ms(event: EventT[bytes]) -> int | None:
    """The raw article's publish time (ms) that the split agent put in the entry's headers."""
    value = _header(event.message.headers, RAW_TS_HEADER)
    return int(value) if value is not None and value.isdigit() else None
