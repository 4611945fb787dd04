"""Running a worker: create the topics, build the app, hand it to Faust's worker; or spawn one."""

from __future__ import annotations

import asyncio
import gc
import logging
import subprocess
import sys
from pathlib import Path

import mode.loop
from aiokafka.admin import NewTopic
from prometheus_client import REGISTRY

from streams.clients.admin import ensure_topics_sync, partition_count
from streams.errors import ConfigError
from streams.logs import configure
from streams.runtime.app import build, load_router
from streams.runtime.overrides.worker import DrainingWorker
from streams.runtime.tables import changelog_topics
from streams.settings import Settings

log = logging.getLogger("newsstream.worker")

#: Faust's logging setup leaves ours alone (an incremental dictConfig changes nothing).
_KEEP_LOGGING = {"version": 1, "incremental": True}


def run_worker(settings: Settings) -> int:
    """Run until SIGTERM/SIGINT; Faust commits offsets and flushes the producer on the way out."""
    handler = configure(settings.log_level, settings.log_format)
    use_event_loop(settings.event_loop)
    router = load_router(settings)  # validated before anything starts: a bad file stops here
    ensure_topics_sync(settings, [*pipeline_topics(settings), *(router.topics if router else [])])
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
    bands, matches = (
        (
            asyncio.run(partition_count(settings, settings.topic_story_bands)),
            asyncio.run(partition_count(settings, settings.topic_story_matches)),
        )
        if settings.stories
        else (None, None)
    )
    worker = build(
        settings, REGISTRY, input_partitions=partitions, story_partitions=bands, match_partitions=matches
    )
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


def pipeline_topics(settings: Settings) -> list[str | NewTopic]:
    """The topics a worker creates when missing: the band topic has its own partition count."""
    return [
        NewTopic(name, settings.story_partitions, settings.topic_replication)
        if name == settings.topic_story_bands and settings.stories
        else name
        for name in settings.topics
    ]


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
    """Keep what startup loaded (gazetteer, lexicons, word vectors) out of every later GC pass.

    Full collections walk the whole heap; with the tagger's data in it they paused a busy
    worker for 60-115 ms every few seconds (the p99 latency). Frozen objects are still
    freed by reference counting; only the cycle collector skips them.
    """
    gc.collect()
    gc.freeze()


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
