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
from collections.abc import Coroutine
from typing import Any

import faust

log = logging.getLogger("newsstream.worker")

#: What this module replaces (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "mode.worker.Worker._stop_on_signal": "a4bcdaa5b7ec0895",
    "faust.worker.Worker.on_setup_root_logger": "d9e77a9305703e90",
    "faust.transport.conductor.Conductor.add": "ee55963a9c6516a7",  # `_topics`: the channels agents read
    # `_stop_fetching`: stopping the fetcher ends `_drain_messages` with a hand-over cancelled
    "faust.app.base.App._stop_fetcher": "410a90fc210ac1f4",
    "faust.transport.consumer.Fetcher._fetcher.fun": "64ea6297f5a08cd9",
    "faust.transport.consumer.Consumer._drain_messages": "8f35dd7a11144daa",
    # `_commit_after`: one commit at a time, a second caller waits for it and commits nothing
    "faust.transport.consumer.Consumer.commit": "e43a7d03685f9206",
    "faust.transport.consumer.Consumer.maybe_wait_for_commit_to_finish": "14281eda99cfc09c",
    # `_leave_group`: aiokafka's consumer, stopped in Faust's consumer thread, leaves the group
    "faust.transport.drivers.aiokafka.AIOKafkaConsumerThread._ensure_consumer": "a2c77687801ca0e7",
    "aiokafka.consumer.consumer.AIOKafkaConsumer.stop": "bf02b37ed4aa2eab",
    "aiokafka.consumer.group_coordinator.GroupCoordinator._maybe_leave_group": "7bc230e3f4dc0222",
}

#: How long SIGTERM waits for work in hand before stopping anyway (Kubernetes gives 30 s).
DRAIN_SECONDS = 7.0

#: How long the worker waits to leave its consumer group before exiting without a word.
LEAVE_SECONDS = 3.0


async def _within(work: Coroutine[Any, Any, Any], seconds: float, otherwise: str) -> bool:
    """Run `work` for at most `seconds`: True if it ended well, else False with `otherwise` logged.

    Unlike `asyncio.wait_for`, a timeout does not wait for the work to end. Faust's
    `maybe_wait_for_commit_to_finish` swallows the cancellation meant for its caller, so
    a final commit behind a commit that never ends (its broker gone) went on waiting
    after `wait_for` cancelled it, and `wait_for` waited with it: the worker was killed
    instead of exiting. Whatever is left running ends with the process.

    Example:
        >>> asyncio.run(_within(asyncio.sleep(0), 1.0, "not slept"))
        True
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        log.warning("%s (not done in %.0f s)", otherwise, seconds)
        return False
    if task.cancelled() or task.exception() is not None:  # the exit must happen all the same
        log.error(otherwise, exc_info=None if task.cancelled() else task.exception())
        return False
    return True


async def _stop_fetching(app: Any) -> None:
    """Stop Faust's fetcher: once this returns, no fetched record enters an agent's queue.

    Faust hands a fetched batch on one record at a time, and a hand-over can wait (for
    the producer's buffer to ebb, for room in a full queue). Pausing the partitions stops
    new fetches but not a batch in hand: a record handed on after the drain found nothing
    left could be processed after the final commit, and done again by the next worker (the
    SIGTERM test met one duplicate in some runs on a loaded machine). Stopping the fetcher
    cancels a hand-over in progress; that record was never queued, so it is neither
    processed nor committed, and the next worker reads it.
    """
    await app._stop_fetcher()


async def _finish_work(app: Any) -> None:
    """Take no more records, then finish those taken."""
    await _stop_fetching(app)
    await _drain(app)


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


async def _commit_after(consumer: Any) -> None:
    """Commit what the drain finished, with a commit that begins after it ended.

    Faust runs one commit at a time: a `commit()` that meets one in flight waits for it
    and returns without committing. The periodic commit in flight when the drain ended
    chose its offsets when it began (seconds earlier on a loaded machine), so waiting on
    it could leave the last records uncommitted, for the next worker to do again. So
    that commit is let finish first; a commit the timer begins meanwhile began after the
    drain and is just as good.
    """
    await consumer.maybe_wait_for_commit_to_finish()
    await consumer.commit()  # flushes the producer first


async def _leave_group(consumer: Any) -> None:
    """Leave the consumer group, so that the partitions move now, not after the session timeout.

    A worker that exits without a word stays a member until its session times out
    (`NEWSSTREAM_SESSION_TIMEOUT`); until then nobody reads its partitions, and a worker
    started in its place waits for the group to give up on it. aiokafka's `stop` sends
    LeaveGroup; it runs in Faust's consumer thread, where that consumer lives.
    """
    thread = consumer._thread
    await thread.call_thread(thread._ensure_consumer().stop)


def _queued(app: Any) -> int:
    """Records fetched and waiting in the agents' channel queues."""
    channels: Any = getattr(app.topics, "_topics", ())
    return sum(channel.queue.qsize() for channel in channels)


class DrainingWorker(faust.Worker):
    """A Faust worker whose SIGTERM/SIGINT drains, commits, and exits without Faust's stop path.

    Faust's graceful stop cancels agents with events in hand and acks them in `finally`
    blocks; their offsets could then be committed without their output (the SIGTERM test
    lost entries that way). A crash never loses anything, because Faust commits only after
    flushing the producer. So on SIGTERM: stop the fetcher, let the work in hand finish, flush,
    commit what is done, leave the consumer group, and exit at once; anything after that
    commit is simply done again by the next worker (a duplicate, never a loss).
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
        # "not finished in time" is what the SIGTERM test looks for before it expects 0 duplicates.
        unfinished = "work in hand not finished in time; it will be done again after restart"
        await _within(_finish_work(app), DRAIN_SECONDS, unfinished)
        uncommitted = "final commit failed; uncommitted work will be done again"
        if await _within(_commit_after(app.consumer), DRAIN_SECONDS, uncommitted):
            log.info("drained and committed; exiting")
        stayed = "could not leave the consumer group; its partitions move after the session timeout"
        await _within(_leave_group(app.consumer), LEAVE_SECONDS, stayed)
        logging.shutdown()
        os._exit(0)
