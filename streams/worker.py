"""Running a worker: create the topics, build the app, hand it to Faust's Worker."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import faust
import mode.loop
from prometheus_client import REGISTRY

from streams.app import build, load_router
from streams.errors import ConfigError
from streams.logs import configure
from streams.settings import Settings
from streams.topics import changelog_topics, ensure_topics_sync, partition_count

log = logging.getLogger("newsstream.worker")


def run_worker(settings: Settings) -> int:
    """Run until SIGTERM/SIGINT; Faust commits offsets and flushes the producer on the way out."""
    handler = configure(settings.log_level, settings.log_format)
    use_event_loop(settings.event_loop)
    router = load_router(settings)  # validated before anything starts: a bad file stops here
    ensure_topics_sync(settings, [*settings.topics, *(router.topics if router else [])])
    partitions = asyncio.run(partition_count(settings, settings.topic_raw))
    if partitions and partitions != settings.topic_partitions:
        log.warning(
            "input topic has a different partition count; tables follow the topic",
            extra={
                "topic": settings.topic_raw,
                "partitions": partitions,
                "configured": settings.topic_partitions,
            },
        )
    worker = build(settings, REGISTRY, input_partitions=partitions)
    ensure_topics_sync(settings, changelog_topics(worker.app))
    freeze_startup_heap()
    log.info("worker starting", extra={"app_id": settings.app_id, "broker": settings.broker_url})
    # Faust (mode) clears the root handlers and adds its colour handler; hand it ours instead.
    worker.app.conf.loghandlers = [handler]
    faust_worker = DrainingWorker(
        worker.app, loglevel=settings.log_level.upper(), quiet=True, logging_config=_KEEP_LOGGING
    )
    faust_worker.execute_from_commandline()
    return 0


def use_event_loop(name: str) -> None:
    """Make every event loop created from now on a uvloop one, unless `asyncio` is asked for.

    The worker's main thread is CPU-bound on a busy partition, and the loop's own share
    of it (callbacks, socket writes) is smaller with uvloop: about 2 % less CPU per article
    in A/B runs. Faust's consumer thread creates its loop through the same policy.

    Example:
        >>> use_event_loop("asyncio")  # the standard loop: nothing to install
    """
    if name != "uvloop":
        return
    try:
        mode.loop.use("uvloop")  # Faust's way: sets uvloop's event loop policy
    except ImportError as exc:
        raise ConfigError(
            "bad_event_loop",
            "NEWSSTREAM_EVENT_LOOP=uvloop but uvloop is not installed; "
            "install it or set NEWSSTREAM_EVENT_LOOP=asyncio",
        ) from exc


def freeze_startup_heap() -> None:
    """Keep what startup loaded (gazetteer, lexicons, topic cues) out of every later GC pass.

    Full collections walk the whole heap; with the tagger's data in it they paused a busy
    worker for 60-115 ms every few seconds (the p99 latency). Frozen objects are still
    freed by reference counting; only the cycle collector skips them.
    """
    gc.collect()
    gc.freeze()


_KEEP_LOGGING = {"version": 1, "incremental": True}
#: How long SIGTERM waits for work in hand before stopping anyway (Kubernetes gives 30 s).
DRAIN_SECONDS = 7.0


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
            await asyncio.wait_for(consumer.wait_empty(), DRAIN_SECONDS)
        except TimeoutError:
            log.warning("work in hand not finished in time; it will be done again after restart")
        try:
            await asyncio.wait_for(app.consumer.commit(), DRAIN_SECONDS)  # flushes the producer first
            log.info("drained and committed; exiting")
        except Exception:  # exiting must happen whatever the commit met: offsets stay behind
            log.exception("final commit failed; uncommitted work will be done again")
        logging.shutdown()
        os._exit(0)


def spawn_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """Start `newsstream worker` as a child process with `env`, logging to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log_file:
        return subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
