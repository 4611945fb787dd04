"""Running a worker: create the topics, build the app, hand it to Faust's Worker."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import faust
from prometheus_client import REGISTRY

from streams.app import build
from streams.settings import Settings
from streams.topics import ensure_topics_sync


def run_worker(settings: Settings) -> int:
    """Run until SIGTERM/SIGINT; Faust commits offsets and flushes the producer on the way out."""
    logging.basicConfig(level=settings.log_level.upper())
    ensure_topics_sync(settings)
    worker = build(settings, REGISTRY)
    faust_worker = faust.Worker(worker.app, loglevel=settings.log_level.upper(), quiet=True)
    faust_worker.execute_from_commandline()
    return 0


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
