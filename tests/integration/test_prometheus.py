"""A real Prometheus server scrapes a running worker and answers queries about it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from schemas import RawArticle
from streams.codec import encode
from streams.dev.broker import free_port
from tests.conftest import read_data
from tests.integration.conftest import RunningWorker
from tests.tools import require

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def test_prometheus_scrapes_worker_metrics(
    worker: RunningWorker, producer: AIOKafkaProducer, tmp_path: Path
) -> None:
    prometheus = require("prometheus")
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s}\n"
        "scrape_configs:\n"
        "  - job_name: newsstream\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{worker.env['NEWSSTREAM_WEB_PORT']}']}}]\n"
    )
    port = free_port()
    proc = subprocess.Popen(
        [
            prometheus,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "prometheus.log").open("wb"),
    )
    try:
        raw = RawArticle(source="s", content=read_data("liveblog_times.txt"), article_id="fire")
        await producer.send_and_wait(worker.env["NEWSSTREAM_TOPIC_RAW"], encode(raw), key=b"fire")
        value = await _query_until(port, 'sum(newsstream_entries_produced_total{stage="enrich"})', 3.0)
        assert value == 3.0
        up = await _query_until(port, 'up{job="newsstream"}', 1.0)
        assert up == 1.0
    finally:
        proc.terminate()
        proc.wait(30)


async def _query_until(port: int, query: str, want: float, timeout: float = 60.0) -> float:
    """Poll Prometheus's HTTP API until `query` returns `want` (or the last value seen)."""
    url = f"http://127.0.0.1:{port}/api/v1/query?query={urllib.parse.quote(query)}"
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = float("nan")
    while loop.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                result = json.load(resp)["data"]["result"]
            if result:
                last = float(result[0]["value"][1])
                if last == want:
                    return last
        except OSError:
            pass  # Prometheus still starting
        await asyncio.sleep(1)
    return last
