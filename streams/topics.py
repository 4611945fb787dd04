"""Creating the pipeline's topics with the configured partitions (idempotent).

Example:
    >>> asyncio.run(ensure_topics(Settings()))   # doctest: +SKIP
    ['news.articles.raw', 'news.entries', 'news.entries.enriched', 'news.deadletter']
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, cast

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from faust.types import AppT, TopicT
from mode.utils.times import want_seconds

from streams.security import client_options, connection_error
from streams.settings import Settings


async def ensure_topics(settings: Settings, names: Iterable[str | NewTopic] | None = None) -> list[str]:
    """Create missing topics; returns the names created. Existing topics are left as they are.

    A name gets the configured partitions and replication; a `NewTopic` is created as given.
    """
    default = (settings.topic_partitions, settings.topic_replication)
    wanted = [n if isinstance(n, NewTopic) else NewTopic(n, *default) for n in names or settings.topics]
    specs = {spec.name: spec for spec in wanted}
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=15000, **client_options(settings)
    )
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        missing = [n for n in specs if n not in existing]
        if missing:
            try:
                await admin.create_topics([specs[n] for n in missing])
            except TopicAlreadyExistsError:
                pass  # another worker created them between our list and create
        return missing
    except KafkaError as exc:
        raise await connection_error(settings, exc) from exc
    finally:
        await admin.close()


def ensure_topics_sync(settings: Settings, names: Iterable[str | NewTopic] | None = None) -> list[str]:
    """`ensure_topics` for synchronous callers (CLI commands before Faust starts)."""
    return asyncio.run(ensure_topics(settings, names))


async def partition_count(settings: Settings, name: str) -> int | None:
    """How many partitions an existing topic has (None when it does not exist)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=15000, **client_options(settings)
    )
    try:
        await admin.start()
        described = await admin.describe_topics([name])
    except KafkaError as exc:
        raise await connection_error(settings, exc) from exc
    finally:
        await admin.close()
    for topic in described:
        if topic.get("topic") == name and not topic.get("error_code"):
            return len(topic.get("partitions", [])) or None
    return None


def changelog_topics(app: AppT) -> list[NewTopic]:
    """The changelog topics of the app's tables, configured as Faust itself would create them.

    Created before Faust starts: when two workers start together, one of them otherwise
    may not see the topic the other created (its metadata predates it), and every table
    write fails there with `PartitionsMismatch` until that metadata is refreshed.
    """
    return [_spec(app, table.changelog_topic) for table in app.tables.values()]


def _spec(app: AppT, topic: TopicT) -> NewTopic:
    """`topic` as Faust's `Topic.declare` would create it (partitions, replicas, config)."""
    retention_ms = int(want_seconds(topic.retention) * 1000) if topic.retention else None
    # Faust's own cleanup-policy and retention config, then the topic's explicit config on top.
    config = cast(Any, app.transport)._topic_config(retention_ms, topic.compacting, topic.deleting)
    config.update(topic.config or {})
    return NewTopic(
        topic.get_topic_name(),
        topic.partitions or app.conf.topic_partitions,
        topic.replicas or app.conf.topic_replication_factor,
        topic_configs={str(k): str(v) for k, v in config.items()},
    )
