"""The example downstream consumer validates what the running pipeline publishes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from schemas import RawArticle
from streams.codec import encode
from streams.dev.broker import DevBroker
from tests.conftest import read_data
from tests.integration.conftest import RunningWorker, consume

pytestmark = [pytest.mark.integration, pytest.mark.slow]
EXAMPLE = Path(__file__).parents[2] / "examples" / "consumer.py"


def _run(broker: DevBroker, topic: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(EXAMPLE),
            "--bootstrap",
            broker.bootstrap,
            "--topic",
            topic,
            "--group",
            f"example-{topic}",
            "--from-beginning",
            "--idle",
            "5",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_example_consumer_validates_the_pipeline_output(
    broker: DevBroker, worker: RunningWorker, producer: AIOKafkaProducer
) -> None:
    topic = worker.env["NEWSSTREAM_TOPIC_ENRICHED"]
    raw = RawArticle(source="s", content=read_data("liveblog_headlines.txt"), article_id="vote")
    await producer.send_and_wait(worker.env["NEWSSTREAM_TOPIC_RAW"], encode(raw), key=b"vote")
    await consume(broker.bootstrap, topic, 6)
    proc = _run(broker, topic, "--max", "6")
    assert proc.returncode == 0, proc.stderr
    assert "6 messages, 0 invalid" in proc.stderr
    assert "Marta Carvalho" in proc.stdout


async def test_example_consumer_rejects_messages_that_break_the_contract(
    broker: DevBroker, producer: AIOKafkaProducer, pipeline_env: dict[str, str]
) -> None:
    topic = pipeline_env["NEWSSTREAM_TOPIC_ENRICHED"]
    await producer.send_and_wait(topic, b'{"entry_id": "x"}')
    proc = _run(broker, topic, "--max", "1")
    assert proc.returncode == 1
    assert "invalid message at offset 0" in proc.stderr
