"""Publishing RawArticles and tailing topics with plain aiokafka (the CLI's `produce`, `tail`).

Example:
    >>> asyncio.run(produce_articles(Settings(), [RawArticle(source="s", content="x")]))  # doctest: +SKIP
    1
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError

from schemas.messages import RawArticle
from streams.codec import encode
from streams.errors import RetriableError
from streams.security import client_options
from streams.settings import Settings
from streams.split import ensure_article_id
from streams.topics import ensure_topics


class Publisher:
    """One producer for many articles: topics ensured once, sends keyed by article id."""

    def __init__(self, settings: Settings, topic: str | None = None) -> None:
        self.settings = settings
        self.topic = topic or settings.topic_raw
        self._producer = AIOKafkaProducer(
            bootstrap_servers=settings.bootstrap_servers,
            acks="all",
            max_request_size=settings.max_message_bytes + 100_000,
            **client_options(settings),
        )

    async def __aenter__(self) -> Publisher:
        try:
            await ensure_topics(self.settings, [self.topic])
            await self._producer.start()
        except KafkaError as exc:
            await self._producer.stop()
            raise RetriableError("broker_unavailable", f"{self.settings.broker_url}: {exc}") from exc
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._producer.stop()

    async def publish(self, raws: Sequence[RawArticle]) -> int:
        """Publish and wait for the broker's acknowledgement; returns the count."""
        try:
            sends = []
            for raw in map(ensure_article_id, raws):
                key = raw.article_id.encode() if raw.article_id else None
                sends.append(await self._producer.send(self.topic, encode(raw), key=key))
            await asyncio.gather(*sends)
        except KafkaError as exc:
            raise RetriableError("broker_unavailable", f"{self.settings.broker_url}: {exc}") from exc
        return len(sends)


async def produce_articles(settings: Settings, raws: Sequence[RawArticle], topic: str | None = None) -> int:
    """Publish articles keyed by article id (filled in when missing); returns the count."""
    async with Publisher(settings, topic) as publisher:
        return await publisher.publish(raws)


async def tail(
    settings: Settings,
    topic: str,
    *,
    from_beginning: bool = False,
    limit: int | None = None,
    idle_timeout: float | None = None,
) -> int:
    """Print each message value of `topic` on its own line (no consumer group)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest" if from_beginning else "latest",
        enable_auto_commit=False,
        **client_options(settings),
    )
    seen = 0
    out = sys.stdout.buffer
    try:
        await consumer.start()
        while limit is None or seen < limit:
            batch = await consumer.getmany(timeout_ms=int((idle_timeout or 3600) * 1000))
            if not batch:
                if idle_timeout is not None:
                    break
                continue
            for records in batch.values():
                for record in records:
                    out.write((record.value or b"") + b"\n")
                    out.flush()
                    seen += 1
        return 0
    except KafkaError as exc:
        raise RetriableError("broker_unavailable", f"{settings.broker_url}: {exc}") from exc
    finally:
        await consumer.stop()
