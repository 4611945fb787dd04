"""`newsstream demo`: the main job on embedded defaults, in one command.

Starts a local broker unless NEWSSTREAM_BROKER_URL names one, starts a worker, publishes
the sample articles shipped in `streams/samples/`, prints each enriched entry as it
arrives, and says where the metrics are. Runs until Ctrl-C, or `--exit-after N` entries.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from importlib import resources
from pathlib import Path

from aiokafka import AIOKafkaConsumer

from schemas.messages import EnrichedEntry
from streams.clients.admin import ensure_topics
from streams.clients.publish import produce_articles
from streams.clients.security import client_options
from streams.codec import decode_enriched
from streams.dev.broker import DevBroker, _port_busy, free_port, metadata_ok
from streams.errors import BrokerError, DeadLetterError
from streams.inputs import read_inputs
from streams.runtime.worker import spawn_worker
from streams.settings import Settings

_TAG_TYPES = ("person", "organization", "place", "topic")


def sample_paths() -> list[str]:
    """The sample article files shipped with the package."""
    folder = resources.files("streams") / "samples"
    return sorted(str(p) for p in folder.iterdir() if p.name.endswith((".txt", ".html", ".jsonl")))


def describe(entry: EnrichedEntry) -> str:
    """One readable line per enriched entry."""
    head = entry.headline or "(no headline)"
    when = f"{entry.time_label} " if entry.time_label else ""
    tags = "; ".join(
        f"{kind}: {', '.join(t.name for t in entry.tags if t.type == kind)}"
        for kind in _TAG_TYPES
        if any(t.type == kind for t in entry.tags)
    )
    return f"[{entry.kind}] {when}{head}\n    {tags}"


def _broker_for(settings: Settings) -> tuple[Settings, DevBroker | None]:
    """Use NEWSSTREAM_BROKER_URL when set (or a broker already on the default port), else start one."""
    if "NEWSSTREAM_BROKER_URL" in os.environ:
        return settings, None
    host, port = settings.bootstrap_servers.split(",")[0].rsplit(":", 1)
    if _port_busy(host, int(port)) and asyncio.run(metadata_ok(settings.bootstrap_servers)):
        print(f"using the broker already running at {settings.bootstrap_servers}")
        return settings, None
    broker = DevBroker(engine=settings.broker_engine, port=int(port), host=host, cache_dir=settings.cache_dir)
    began = time.monotonic()
    print(f"starting a local {broker.engine} broker at {broker.bootstrap} ...", flush=True)
    broker.start()
    broker.wait_ready()
    print(f"broker ready in {time.monotonic() - began:.1f}s (data in {broker.data_dir})")
    return settings, broker


def _start_worker(settings: Settings, log_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = settings.web_port if not _port_busy(settings.web_host, settings.web_port) else free_port()
    env = {
        **os.environ,
        "NEWSSTREAM_BROKER_URL": settings.broker_url,
        "NEWSSTREAM_WEB_PORT": str(port),
        "NEWSSTREAM_LOG_LEVEL": "warning",
    }
    return spawn_worker(env, log_path), port


async def _follow(settings: Settings, exit_after: int | None, wait_seconds: float, began: float) -> int:
    consumer = AIOKafkaConsumer(
        settings.topic_enriched,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="latest",
        enable_auto_commit=False,
        **client_options(settings),
    )
    await consumer.start()
    try:
        await consumer.seek_to_end()
        for tp in consumer.assignment():  # pin positions before publishing the samples
            await consumer.position(tp)
        raws = read_inputs(sample_paths(), source="newsstream-samples")
        count = await produce_articles(settings, raws)
        print(
            f"published {count} sample articles to {settings.topic_raw}; waiting for entries ...", flush=True
        )
        seen = 0
        deadline = time.monotonic() + wait_seconds
        while exit_after is None or seen < exit_after:
            if exit_after is not None and time.monotonic() > deadline:
                print(
                    f"newsstream demo: only {seen} of {exit_after} enriched entries after "
                    f"{wait_seconds:.0f}s; see the worker log",
                    file=sys.stderr,
                )
                return 1
            batch = await consumer.getmany(timeout_ms=1000, max_records=1)
            for records in batch.values():
                for record in records:
                    seen += 1
                    if seen == 1:
                        print(f"first enriched entry after {time.monotonic() - began:.1f}s")
                    print(_render(record.value), flush=True)
        print(f"{seen} enriched entries in {time.monotonic() - began:.1f}s")
        return 0
    finally:
        await consumer.stop()


def _render(value: bytes | None) -> str:
    try:
        return describe(decode_enriched(value, max_bytes=50_000_000))
    except DeadLetterError as exc:
        return f"(undecodable entry: {exc.reason})"


def run_demo(settings: Settings, exit_after: int | None = None, timeout: float = 180.0) -> int:
    """Run the demo; returns the exit code."""
    began = time.monotonic()
    settings, broker = _broker_for(settings)
    worker: subprocess.Popen[bytes] | None = None
    try:
        asyncio.run(ensure_topics(settings))
        log_path = settings.cache_dir / "demo-worker.log"
        worker, port = _start_worker(settings, log_path)
        print(f"worker started (log: {log_path})")
        print(
            f"metrics: http://{settings.web_host}:{port}/metrics  "
            f"health: http://{settings.web_host}:{port}/health  ready: /ready"
        )
        _wait_ready(settings.web_host, port, worker)
        return asyncio.run(_follow(settings, exit_after, timeout, began))
    except KeyboardInterrupt:
        print("\nstopping ...")
        return 0
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
        if broker is not None:
            broker.stop()


def _wait_ready(host: str, port: int, worker: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://{host}:{port}/ready"
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise BrokerError("worker_exited", f"the worker exited with {worker.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        time.sleep(0.5)
    raise BrokerError("worker_timeout", f"the worker was not ready within {timeout:.0f}s")
