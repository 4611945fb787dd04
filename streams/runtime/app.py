"""Wiring: the Faust app, its topics, tables, the agents and the web views of one worker.

Example:
    >>> from prometheus_client import CollectorRegistry
    >>> worker = build(Settings(), CollectorRegistry())
    >>> sorted(agent.name for agent in worker.app.agents.values())
    ['enrich', 'split']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import faust
from prometheus_client import CollectorRegistry

from streams.clients.security import faust_credentials
from streams.metrics import Metrics
from streams.pipeline import Pipeline, story_rule
from streams.routing import Router
from streams.runtime.agents import register_agents
from streams.runtime.handlers import Stages, Topics
from streams.runtime.overrides.app import App
from streams.runtime.overrides.monitor import LeanMonitor
from streams.runtime.overrides.producer import KeyPartitioner
from streams.runtime.overrides.recovery import SeekFirstTableManager
from streams.runtime.overrides.transactions import TransactionalTable
from streams.runtime.stories import StoryStages
from streams.runtime.tables import (
    RecentArticleStates,
    TableLineStore,
    Windows,
    article_state_table,
    line_table,
    story_tables,
)
from streams.runtime.web import Readiness, register_views
from streams.settings import Settings


@dataclass(frozen=True)
class Worker:
    """A configured Faust app with its shared state."""

    app: faust.App
    stages: Stages
    readiness: Readiness


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
        # Tables on disk (RocksDB, sized in streams.runtime.tables): RAM does not grow with the state.
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
        # Seeks stream partitions before resuming them after recovery (overrides/recovery.py).
        TableManager=SeekFirstTableManager,
        # Per-message counts are ours (Prometheus); Faust's bookkeeping of them cost 0.7 %.
        Monitor=LeanMonitor,
        # Changelog writes in the record's transaction (exactly-once; see overrides/transactions.py).
        Table=TransactionalTable,
        # Faust's own views (router, tables, graph, statistics) are not served (overrides/web.py).
        web_router_enabled=False,
        web_tables_enabled=False,
        web_graph_enabled=False,
        web_stats_enabled=False,
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
    """The four pipeline topics, and the story stage's two when stories are on."""
    return Topics(
        raw=raw_topic(app, settings.topic_raw, settings),
        entries=raw_topic(app, settings.topic_entries, settings),
        enriched=raw_topic(app, settings.topic_enriched, settings),
        deadletter=raw_topic(app, settings.topic_deadletter, settings),
        bands=(
            app.topic(
                settings.topic_story_bands,
                key_type=bytes,
                value_type=bytes,
                partitions=settings.story_partitions,
            )
            if settings.stories
            else None
        ),
        matches=raw_topic(app, settings.topic_story_matches, settings) if settings.stories else None,
    )


def story_stages(
    app: faust.App, topics: Topics, settings: Settings, bands: int, matches: int
) -> StoryStages | None:
    """The story stage's tables and rule (None when NEWSSTREAM_STORIES is off)."""
    if topics.bands is None or topics.matches is None:
        return None
    window = timedelta(hours=settings.story_window_hours)
    band_table, pending_table = story_tables(app, bands, matches, Windows(window))
    keys = worker_datadir(settings) / "story-keys"  # the local key index (tables.BandStore)
    return StoryStages(
        topics.bands, topics.matches, band_table, pending_table, story_rule(settings), bands, keys
    )


def load_router(settings: Settings) -> Router | None:
    """The routing rules of NEWSSTREAM_ROUTES_FILE, validated (ConfigError when wrong)."""
    return Router.from_file(settings.routes_file) if settings.routes_file else None


def build(
    settings: Settings,
    registry: CollectorRegistry,
    input_partitions: int | None = None,
    story_partitions: int | None = None,
    match_partitions: int | None = None,
) -> Worker:
    """Everything a worker runs, wired together (nothing starts until Faust does).

    Tables must have as many partitions as the topic their agent reads: `input_partitions`,
    `story_partitions` and `match_partitions` are the actual counts of the input, band and
    match topics when they already exist (they may differ from the settings).
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
        stories=story_stages(
            app,
            topics,
            settings,
            story_partitions or settings.story_partitions,
            match_partitions or settings.topic_partitions,
        ),
    )
    readiness = Readiness()

    register_agents(app, topics, stages, readiness)
    register_views(app, metrics, readiness)
    return Worker(app, stages, readiness)
