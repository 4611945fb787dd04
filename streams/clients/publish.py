"""Publishing RawArticles with plain aiokafka (`newsstream produce`, `ingest` and the demo).

Example:
    >>> asyncio.run(produce_articles(Settings(), [RawArticle(source="s", content="x")]))  # doctest: +SKIP
    1
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from schemas.messages import RawArticle
from streams.clients.admin import ensure_topics
from streams.clients.security import client_options
from streams.codec import encode
from streams.errors import RetriableError
from streams.settings import Settings
from streams.split import ensure_article_id


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
