"""The dev broker the project starts itself: readiness, restart on the same data, the CLI."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from streams.dev.broker import DevBroker, choose_engine, free_port
from tests.integration.conftest import consume

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ENGINE = os.environ.get("NEWSSTREAM_BROKER_ENGINE", "auto")


@pytest.mark.skipif(
    choose_engine(ENGINE) != "kafka",  # type: ignore[arg-type]
    reason="tansu keeps data in memory only",
)
def test_kafka_data_survives_a_broker_restart(tmp_path: Path) -> None:
    port = free_port()
    first = DevBroker(engine="kafka", port=port, data_dir=tmp_path)
    first.start()
    first.wait_ready()
    try:
        asyncio.run(_produce(first.bootstrap, "kept", [b"m0", b"m1", b"m2"]))
    finally:
        first.stop()
    second = DevBroker(engine="kafka", port=port, data_dir=tmp_path)
    second.start()
    second.wait_ready()
    try:
        records = asyncio.run(consume(second.bootstrap, "kept", 3, timeout=30))
        assert [r.value for r in records] == [b"m0", b"m1", b"m2"]
    finally:
        second.stop()


async def _produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    prod = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await prod.start()
    try:
        for value in values:
            await prod.send_and_wait(topic, value)
    finally:
        await prod.stop()


def test_broker_command_prints_its_address_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streams.cli",
            "broker",
            "--engine",
            ENGINE,
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        began = time.monotonic()
        line = proc.stdout.readline()
        assert f"ready at 127.0.0.1:{port}" in line, line
        assert time.monotonic() - began < 120
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(60)
    assert code == 0


def test_port_in_use_is_a_clear_error(broker: DevBroker) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "streams.cli", "broker", "--engine", ENGINE, "--port", str(broker.port)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "port_in_use" in proc.stderr and "Traceback" not in proc.stderr
