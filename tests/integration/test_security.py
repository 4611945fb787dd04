"""SASL/SCRAM on the dev broker: the worker works with the right password, fails clearly with a wrong one."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer

from schemas import RawArticle
from streams.clients.publish import produce_articles
from streams.clients.security import client_options
from streams.dev.broker import DevBroker, free_port
from streams.settings import Settings
from tests.integration.conftest import isolated_env, kafka_only, running, start_worker

pytestmark = [pytest.mark.integration, pytest.mark.slow, kafka_only]

USER = "newsstream-worker"
PASSWORD = "correct horse battery staple"  # a throwaway test user on a loopback broker # noqa: S105


@pytest.fixture(scope="module")
def scram_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevBroker]:
    broker = DevBroker(
        engine="kafka",
        port=free_port(),
        data_dir=tmp_path_factory.mktemp("scram-broker"),
        sasl_users={USER: PASSWORD},
    )
    with running(broker, timeout=180):
        yield broker


ARTICLE = """Madrid opens its longest river bridge after four years of work

The transport minister, Ana Lopez, opened the new bridge over the Manzanares on Tuesday.
The crossing carries trams, bicycles and people on foot between two districts of the city.
Engineers said the structure was built to last a century and cost less than planned.
"""


def _env(broker: DevBroker, password: str, mechanism: str = "SCRAM-SHA-512") -> dict[str, str]:
    return isolated_env(
        broker.bootstrap,
        "scram",
        partitions=1,
        NEWSSTREAM_SECURITY_PROTOCOL="SASL_PLAINTEXT",
        NEWSSTREAM_SASL_MECHANISM=mechanism,
        NEWSSTREAM_SASL_USERNAME=USER,
        NEWSSTREAM_SASL_PASSWORD=password,
    )


def _settings(env: dict[str, str]) -> Settings:
    return Settings(
        **{k[len("NEWSSTREAM_") :].lower(): v for k, v in env.items() if k.startswith("NEWSSTREAM_")}
    )


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512"])
async def test_worker_with_the_right_scram_password_processes_articles(
    scram_broker: DevBroker, tmp_path: Path, mechanism: str
) -> None:
    env = _env(scram_broker, PASSWORD, mechanism)
    settings = _settings(env)
    worker = start_worker(env, tmp_path / "worker.log", timeout=120)
    try:
        article = RawArticle(source="test", article_id="scram-1", content=ARTICLE)
        assert await produce_articles(settings, [article]) == 1
        consumer = AIOKafkaConsumer(
            settings.topic_enriched,
            bootstrap_servers=scram_broker.bootstrap,
            auto_offset_reset="earliest",
            **client_options(settings),
        )
        await consumer.start()
        try:
            batch = await consumer.getmany(timeout_ms=60_000, max_records=1)
        finally:
            await consumer.stop()
        values = [json.loads(r.value) for records in batch.values() for r in records]
        assert values and values[0]["article_id"] == "scram-1", worker.log_tail()
    finally:
        code = worker.stop()
    assert code == 0
    assert PASSWORD not in worker.log.read_text(), "the password reached the log"


def test_worker_with_a_wrong_password_exits_with_a_clear_error(scram_broker: DevBroker) -> None:
    env = _env(scram_broker, "not the password")
    proc = subprocess.run(
        [sys.executable, "-m", "streams.cli", "worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = proc.stdout + proc.stderr
    print(f"\nwrong password: exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}")
    assert proc.returncode == 2, output[-2000:]
    assert "authentication_failed" in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in output
    assert "not the password" not in output
