"""Topic administration with plain aiokafka: create the pipeline's topics (idempotent), count partitions.

Example:
    >>> asyncio.run(ensure_topics(Settings()))   # doctest: +SKIP
    ['news.articles.raw', 'news.entries', 'news.entries.enriched', 'news.deadletter']
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from streams.clients.security import client_options, connection_error
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
