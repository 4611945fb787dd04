"""Faust's worker with a SIGTERM that drains, commits and exits, and without the terminal spinner.

Upstream: mode's `Worker._stop_on_signal` (Faust's graceful stop) and Faust's
`Worker.on_setup_root_logger` (the spinner) are replaced. Why: see `DrainingWorker`.

Example:
    >>> DrainingWorker.__mro__[1].__module__
    'faust.worker'
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import faust

log = logging.getLogger("newsstream.worker")

#: What this module replaces (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "mode.worker.Worker._stop_on_signal": "a4bcdaa5b7ec0895",
    "faust.worker.Worker.on_setup_root_logger": "d9e77a9305703e90",
    "faust.transport.conductor.Conductor.add": "ee55963a9c6516a7",  # `_topics`: the channels agents read
}

#: How long SIGTERM waits for work in hand before stopping anyway (Kubernetes gives 30 s).
DRAIN_SECONDS = 7.0


async def _drain(app: Any) -> None:
    """Wait until the agents have finished every record fetched, queued ones included.

    Faust's `wait_empty` waits for the records an agent has taken; records still in an
    agent's queue were taken while the final commit ran, after the offsets it commits
    were chosen, and were processed again by the next worker (4-32 duplicates a stop).
    """
    while True:
        await app.consumer.wait_empty()
        if not _queued(app):
            return
        await asyncio.sleep(0.01)  # the agents take what is queued


def _queued(app: Any) -> int:
    """Records fetched and waiting in the agents' channel queues."""
    channels: Any = getattr(app.topics, "_topics", ())
    return sum(channel.queue.qsize() for channel in channels)


class DrainingWorker(faust.Worker):
    """A Faust worker whose SIGTERM/SIGINT drains, commits, and exits without Faust's stop path.

    Faust's graceful stop cancels agents with events in hand and acks them in `finally`
    blocks; their offsets could then be committed without their output (the SIGTERM test
    lost entries that way). A crash never loses anything, because Faust commits only after
    flushing the producer. So on SIGTERM: stop fetching, let the work in hand finish, flush,
    commit what is done, and exit at once; anything after that commit is simply done again
    by the next worker (a duplicate, never a loss).
    """

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        """Keep our handler and level: no terminal spinner for a service.

        Faust's spinner (on at WARNING and above) sets the root logger to DEBUG so that it
        sees every record; every `log.debug` in aiokafka and Faust then builds a record
        per message only for our handler to drop it (4% of a busy worker's CPU).
        """
        self.spinner = None

    async def _stop_on_signal(self, signal: Any) -> None:
        app = self.app
        try:
            consumer = app.consumer
            consumer.pause_partitions(consumer.assignment())
            await asyncio.wait_for(_drain(app), DRAIN_SECONDS)
        except TimeoutError:
            log.warning("work in hand not finished in time; it will be done again after restart")
        try:
            await asyncio.wait_for(app.consumer.commit(), DRAIN_SECONDS)  # flushes the producer first
            log.info("drained and committed; exiting")
        except Exception:  # exiting must happen whatever the commit met: offsets stay behind
            log.exception("final commit failed; uncommitted work will be done again")
        logging.shutdown()
        os._exit(0)
