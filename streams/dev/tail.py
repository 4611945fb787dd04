"""`newsstream tail`: print the messages of a topic, one value per line (no consumer group).

Example:
    >>> asyncio.run(tail(Settings(), "news.entries.enriched", limit=1))  # doctest: +SKIP
    {"schema_version":"1.0","entry_id":…}
    0
"""

from __future__ import annotations

import asyncio  # noqa: F401 - used by the docstring example
import sys

from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError

from streams.clients.security import client_options
from streams.errors import RetriableError
from streams.settings import Settings


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
