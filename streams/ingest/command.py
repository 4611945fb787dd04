"""`newsstream ingest`: one pass over the feeds, or a poll loop with --interval."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from streams.clients.publish import Publisher
from streams.ingest.fetch import Fetcher
from streams.ingest.run import Ingestor, print_report
from streams.ingest.state import SeenState
from streams.settings import Settings


async def ingest(
    settings: Settings,
    feeds: Sequence[str],
    *,
    interval: float | None,
    state: Path | None,
    robots: bool = True,
    http_timeout: float = 10.0,
) -> int:
    """Run until done (or forever with `interval`); exit status 1 when a pass had failures."""
    seen = SeenState(state or settings.cache_dir / "ingest-state.json")
    async with (
        Publisher(settings) as publisher,
        Fetcher(timeout=http_timeout, respect_robots=robots) as fetcher,
    ):
        ingestor = Ingestor(fetcher, publisher.publish, seen)
        while True:
            report = await ingestor.run_once(feeds)
            print_report(report)
            if interval is None:
                return 1 if report.errors else 0
            await asyncio.sleep(interval)


def run_ingest(
    settings: Settings,
    feeds: Sequence[str],
    *,
    interval: float | None,
    state: Path | None,
    robots: bool = True,
    timeout: float = 10.0,
) -> int:
    """The CLI entry point."""
    return asyncio.run(
        ingest(settings, feeds, interval=interval, state=state, robots=robots, http_timeout=timeout)
    )
