"""A real broker for the session (Apache Kafka, or tansu without Java) and workers per test.

Each test gets its own topics, consumer group and web port, so tests never see each
other's messages. NEWSSTREAM_BROKER_ENGINE picks the engine (CI forces `kafka`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from streams.dev.broker import DevBroker, DevCluster, choose_engine, free_port
from streams.errors import BrokerError
from streams.runtime.worker import spawn_worker
from tests.httpfixture import site  # noqa: F401 - a fixture, found by pytest through this import

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def state_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The table files of every worker the tests start: pytest's temporary directory, not ~/.cache."""
    return tmp_path_factory.mktemp("state")


@pytest.fixture(autouse=True)
def state_dir(state_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """NEWSSTREAM_STATE_DIR for each integration test (per test, so it never reaches unit tests)."""
    monkeypatch.setenv("NEWSSTREAM_STATE_DIR", str(state_root))
    return state_root


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevBroker]:
    engine = os.environ.get("NEWSSTREAM_BROKER_ENGINE", "auto")
    began = time.monotonic()
    for attempt in (1, 2):  # a port picked free can be taken before the broker binds it
        dev = DevBroker(engine=engine, port=free_port(), data_dir=tmp_path_factory.mktemp("broker"))  # type: ignore[arg-type]
        try:
            dev.start()
            dev.wait_ready(timeout=180)
            break
        except BrokerError as exc:
            dev.kill()
            if attempt == 2:
                raise
            print(f"\nbroker start failed, retrying on another port: {exc}")
    print(f"\n{dev.engine} broker ready at {dev.bootstrap} in {time.monotonic() - began:.1f}s")
    yield dev
    dev.stop()


def isolated_env(bootstrap: str, prefix: str = "test", partitions: int = 2, **extra: str) -> dict[str, str]:
    """Environment of one isolated pipeline on `bootstrap`: unique topics, group and web port."""
    tag = uuid.uuid4().hex[:8]
    return {
        **os.environ,
        "NEWSSTREAM_BROKER_URL": "kafka://" + bootstrap.replace(",", ";"),
        "NEWSSTREAM_APP_ID": f"{prefix}-{tag}",
        "NEWSSTREAM_TOPIC_RAW": f"raw-{tag}",
        "NEWSSTREAM_TOPIC_ENTRIES": f"entries-{tag}",
        "NEWSSTREAM_TOPIC_ENRICHED": f"enriched-{tag}",
        "NEWSSTREAM_TOPIC_DEADLETTER": f"deadletter-{tag}",
        "NEWSSTREAM_TOPIC_STORY_BANDS": f"bands-{tag}",
        "NEWSSTREAM_TOPIC_STORY_MATCHES": f"matches-{tag}",
        "NEWSSTREAM_TOPIC_PARTITIONS": str(partitions),
        "NEWSSTREAM_WEB_PORT": str(free_port()),
        "NEWSSTREAM_LOG_LEVEL": "info",
        **extra,
    }


@pytest.fixture
def pipeline_env(broker: DevBroker) -> dict[str, str]:
    """Environment of one isolated pipeline on the session broker."""
    return isolated_env(broker.bootstrap)


#: For tests that need Apache Kafka itself (SCRAM users, data kept across restarts, clusters).
kafka_only = pytest.mark.skipif(
    choose_engine(os.environ.get("NEWSSTREAM_BROKER_ENGINE", "auto")) != "kafka",  # type: ignore[arg-type]
    reason="needs the Apache Kafka engine",
)


@contextmanager
def running(brokers: DevBroker | DevCluster, timeout: float) -> Iterator[None]:
    """Start `brokers`, wait until they answer, and stop them at the end (also on failure)."""
    brokers.start()
    try:
        brokers.wait_ready(timeout=timeout)
        yield
    finally:
        brokers.stop()


@dataclass
class RunningWorker:
    proc: subprocess.Popen[bytes]
    env: dict[str, str]
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.env['NEWSSTREAM_WEB_PORT']}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=5) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, path: str) -> int:
        """The status of an empty POST to `path`."""
        request = urllib.request.Request(self.base_url + path, data=b"", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 20.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def start_worker(env: dict[str, str], log: Path, timeout: float = 90.0) -> RunningWorker:
    """Start `newsstream worker` and wait until /ready answers 200."""
    proc = spawn_worker(env, log)
    worker = RunningWorker(proc, env, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"worker exited {proc.returncode}:\n{worker.log_tail()}")
        try:
            if worker.get("/ready")[0] == 200:
                return worker
        except OSError:
            pass
        time.sleep(0.5)
    worker.stop()
    raise AssertionError(f"worker not ready in {timeout}s:\n{worker.log_tail()}")


@contextmanager
def worker_running(env: dict[str, str], log: Path, timeout: float = 90.0) -> Iterator[RunningWorker]:
    """A ready worker for the `with` block; afterwards it must exit 0 on SIGTERM."""
    running = start_worker(env, log, timeout)
    try:
        yield running
    finally:
        code = running.stop()
        assert code == 0, f"worker exited {code} on SIGTERM:\n{running.log_tail()}"


@pytest.fixture
def worker(pipeline_env: dict[str, str], tmp_path: Path) -> Iterator[RunningWorker]:
    with worker_running(pipeline_env, tmp_path / "worker.log") as running:
        yield running


@pytest.fixture
async def producer(broker: DevBroker) -> AsyncIterator[AIOKafkaProducer]:
    prod = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
    await prod.start()
    yield prod
    await prod.stop()


async def consume(bootstrap: str, topic: str, count: int, timeout: float = 60.0) -> list[ConsumerRecord]:
    """Read `count` records of `topic` from the start (no group), or what came within `timeout`."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    deadline = asyncio.get_running_loop().time() + timeout
    try:
        while len(records) < count and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for part in batch.values():
                records.extend(part)
        return records
    finally:
        await consumer.stop()
