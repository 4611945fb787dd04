"""Wiring: the Faust app, its topics, the two agents, the lag timer and the web views.

Example:
    >>> from prometheus_client import CollectorRegistry
    >>> worker = build(Settings(), CollectorRegistry())
    >>> sorted(agent.name for agent in worker.app.agents.values())
    ['enrich', 'split']
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import faust
from faust.types import ConsumerT, ProducerT, StreamT
from prometheus_client import CollectorRegistry

from streams.agents import Stages, Topics
from streams.batching import FaustProducer, KeyPartitioner
from streams.delivery import EagerDeliveryConsumer, finish, start_eagerly
from streams.metrics import Metrics
from streams.monitor import LeanMonitor
from streams.pipeline import Pipeline
from streams.recovery import SeekFirstTableManager
from streams.routing import Router
from streams.security import faust_credentials
from streams.settings import Settings
from streams.state import RecentArticleStates, TableLineStore, Windows, article_state_table, line_table
from streams.web import Readiness, register_views

log = logging.getLogger("newsstream.app")

LAG_INTERVAL = 5.0


@dataclass(frozen=True)
class Worker:
    """A configured Faust app with its shared state."""

    app: faust.App
    stages: Stages
    readiness: Readiness


class App(faust.App):
    """Faust's app with a leaner producer and consumer (streams.batching, streams.delivery)."""

    def _new_producer(self) -> ProducerT:
        return FaustProducer(self.transport, loop=self.loop, beacon=self.beacon)

    def _new_consumer(self) -> ConsumerT:
        # What faust.App builds, but with our consumer class (transport.create_consumer's call).
        return EagerDeliveryConsumer(
            self.transport,
            callback=self.topics.on_message,
            on_partitions_revoked=self._on_partitions_revoked,
            on_partitions_assigned=self._on_partitions_assigned,
            beacon=self.beacon,
            loop=self.loop,
        )


def make_app(settings: Settings) -> faust.App:
    """The Faust app with the settings applied (raw bytes in and out: our codec decodes)."""
    datadir = worker_datadir(settings)
    datadir.mkdir(parents=True, exist_ok=True)  # Faust does not create the parents
    return App(
        settings.app_id,
        broker=settings.broker_url,
        broker_credentials=faust_credentials(settings),
        autodiscover=False,
        value_serializer="raw",
        key_serializer="raw",
        # Tables on disk (RocksDB, sized in streams.state): RAM does not grow with the state.
        store="rocksdb://",
        datadir=str(datadir),
        processing_guarantee=settings.processing_guarantee,
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication,
        consumer_auto_offset_reset="earliest",
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        producer_acks=-1,
        # Room for the largest entry we publish (checked in the agents) plus its record overhead.
        producer_max_request_size=settings.max_output_bytes + 100_000,
        # A few ms of batching: fewer produce requests for the worker and the broker to handle.
        producer_linger=settings.producer_linger_ms / 1000,
        producer_partitioner=KeyPartitioner(),
        # When one topic's buffer is full the fetcher waits, and the other topic's stream
        # starves (500 cost 4-7 % of the throughput); at SIGTERM the buffers are drained.
        stream_buffer_maxsize=settings.stream_buffer,
        broker_session_timeout=settings.session_timeout,
        broker_commit_interval=settings.commit_interval,
        # Seeks stream partitions before resuming them after recovery (see streams.recovery).
        TableManager=SeekFirstTableManager,
        # Per-message counts are ours (Prometheus); Faust's bookkeeping of them cost 0.7 %.
        Monitor=LeanMonitor,
    )


def worker_datadir(settings: Settings) -> Path:
    """Where a worker keeps its table files: one directory per app and web port.

    Not the working directory (a checkout). Two workers on one host need their own web
    ports, and their own table files (RocksDB locks a database to one process).
    """
    root = settings.state_dir or settings.cache_dir / "faust"
    return root / settings.app_id / f"worker-{settings.web_port}"


def raw_topic(app: faust.App, name: str, settings: Settings) -> faust.TopicT:
    """A raw-bytes Faust topic (our codec encodes and decodes)."""
    return app.topic(name, key_type=bytes, value_type=bytes, partitions=settings.topic_partitions)


def make_topics(app: faust.App, settings: Settings) -> Topics:
    """The four pipeline topics."""
    return Topics(
        raw=raw_topic(app, settings.topic_raw, settings),
        entries=raw_topic(app, settings.topic_entries, settings),
        enriched=raw_topic(app, settings.topic_enriched, settings),
        deadletter=raw_topic(app, settings.topic_deadletter, settings),
    )


def load_router(settings: Settings) -> Router | None:
    """The routing rules of NEWSSTREAM_ROUTES_FILE, validated (ConfigError when wrong)."""
    return Router.from_file(settings.routes_file) if settings.routes_file else None


def build(settings: Settings, registry: CollectorRegistry, input_partitions: int | None = None) -> Worker:
    """Everything a worker runs, wired together (nothing starts until Faust does).

    Tables must have as many partitions as the input topic: `input_partitions` is its
    actual count when it already exists (it may differ from NEWSSTREAM_TOPIC_PARTITIONS).
    """
    table_partitions = input_partitions or settings.topic_partitions
    windows = Windows(timedelta(hours=settings.state_window_hours))
    app = make_app(settings)
    topics = make_topics(app, settings)
    metrics = Metrics.create(registry)
    pipeline = Pipeline.from_settings(settings)
    router = load_router(settings)
    stages = Stages(
        pipeline,
        topics,
        metrics,
        settings,
        article_state=RecentArticleStates(article_state_table(app, table_partitions, windows), windows),
        lines=TableLineStore(line_table(app, table_partitions, windows), windows, pipeline.learn_threshold),
        router=router,
        routed={name: raw_topic(app, name, settings) for name in (router.topics if router else [])},
    )
    readiness = Readiness()

    @app.agent(topics.raw, name="split")
    async def split(stream: StreamT[bytes]) -> None:
        async for event in stream.events():
            await finish_on_cancel(stages.split_one(event))

    @app.agent(topics.entries, name="enrich")
    async def enrich(stream: StreamT[bytes]) -> None:
        # One event at a time: Faust's take_events acks buffered, unprocessed events when a
        # worker stops, and their offsets get committed (entries lost; found by the SIGTERM
        # test). Names still resolve across an article's entries through Stages' contexts.
        async for event in stream.events():
            await finish_on_cancel(stages.enrich_batch([event]))

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]  # faust stub rejects async receivers
    async def on_assigned(sender: Any, *args: Any, signal: Any = None, **kwargs: Any) -> None:
        metrics.rebalances.inc()
        readiness.assigned = True
        log.info("partitions assigned: %s", args[0] if args else kwargs.get("assigned"))

    @app.task  # type: ignore[untyped-decorator]  # faust's task decorator has no types
    async def on_started() -> None:
        readiness.started = True
        # "Stalled since start" must be visible too: the clock starts when the worker does.
        for stage in ("split", "enrich"):
            metrics.last_processed.labels(stage).set(time.time())

    @app.timer(LAG_INTERVAL)  # type: ignore[untyped-decorator]  # faust's timer has no types
    async def report_lag() -> None:
        await update_lag(app, stages)

    register_views(app, metrics, readiness)
    return Worker(app, stages, readiness)


class LoopTurns:
    """Gives the event loop a turn at most every `interval` seconds of unbroken agent work.

    Work that never suspends runs without yielding: an agent with a full stream buffer
    would otherwise hold the loop until the buffer is empty (1,500 events, a second or
    more), and the producer's sender, Faust's commit timer and the web server would wait.
    A yield per event costs a loop iteration each; one every few milliseconds costs
    nothing measurable.

    Example:
        >>> turns = LoopTurns(interval=60.0)
        >>> asyncio.run(turns.maybe_yield())  # the first call yields; later ones wait 60 s
    """

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.last = 0.0

    async def maybe_yield(self) -> None:
        """Yield to the loop once if `interval` has passed since the last turn."""
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            await asyncio.sleep(0)


#: Shared by both agents: they run on one loop, and either holding it delays the other.
LOOP_TURNS = LoopTurns()


async def finish_on_cancel(work: Coroutine[Any, Any, None]) -> None:
    """Run one unit of work to its end even when the agent is cancelled meanwhile.

    At shutdown Faust cancels agents and acks the events in hand (a `take_events` batch
    in its `finally`), and their offsets are then committed: work cut short there would be
    lost. Finishing it first keeps at-least-once; a unit takes well under a second.
    Work that never suspends cannot be cut short, so it runs at once without a task.
    """
    started = start_eagerly(work)
    if started.done:
        await LOOP_TURNS.maybe_yield()
        return
    task = asyncio.ensure_future(finish(started))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await task
        raise


async def update_lag(app: faust.App, stages: Stages) -> None:
    """Set the lag gauge of every assigned partition: end offset minus what was processed.

    Before a partition's first message is processed, the consumer's fetch position
    stands in for the processed position.
    """
    gauge = stages.metrics.consumer_lag
    for tp in app.consumer.assignment():
        if tp.topic not in stages.input_topics:
            continue  # table changelogs and the leader topic are Faust's own
        highwater = app.consumer.highwater(tp)
        position = stages.positions.get((tp.topic, tp.partition))
        if position is None:
            position = await app.consumer.position(tp)
        if highwater is None or position is None:
            continue
        gauge.labels(tp.topic, str(tp.partition)).set(max(0, highwater - position))
