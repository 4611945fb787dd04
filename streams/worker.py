"""Running a worker: create the topics, build the app, hand it to Faust's Worker."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import faust
from prometheus_client import REGISTRY

from streams.app import build, load_router
from streams.logs import configure
from streams.settings import Settings
from streams.topics import ensure_topics_sync

log = logging.getLogger("newsstream.worker")


def run_worker(settings: Settings) -> int:
    """Run until SIGTERM/SIGINT; Faust commits offsets and flushes the producer on the way out."""
    handler = configure(settings.log_level, settings.log_format)
    router = load_router(settings)  # validated before anything starts: a bad file stops here
    ensure_topics_sync(settings, [*settings.topics, *(router.topics if router else [])])
    worker = build(settings, REGISTRY)
    log.info("worker starting", extra={"app_id": settings.app_id, "broker": settings.broker_url})
    # Faust (mode) clears the root handlers and adds its colour handler; hand it ours instead.
    worker.app.conf.loghandlers = [handler]
    faust_worker = faust.Worker(
        worker.app, loglevel=settings.log_level.upper(), quiet=True, logging_config=_KEEP_LOGGING
    )
    faust_worker.execute_from_commandline()
    return 0


_KEEP_LOGGING = {"version": 1, "incremental": True}


def spawn_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """Start `newsstream worker` as a child process with `env`, logging to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
