"""Worker state in tables: live updates across a restart, and learnt boilerplate."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from schemas import RawArticle
from streams.codec import encode
from streams.dev.broker import DevBroker
from tests.conftest import grown_liveblog
from tests.integration.conftest import RunningWorker, consume, start_worker
from tests.integration.test_pipeline import metric

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _raw(posts: int, edited: bool = False) -> bytes:
    raw = RawArticle(source="river-news", content=grown_liveblog(posts, edited), article_id="flood-live")
    return encode(raw)


async def test_grown_page_after_restart_publishes_only_new_and_changed_posts(
    broker: DevBroker, pipeline_env: dict[str, str], producer: AIOKafkaProducer, tmp_path: Path
) -> None:
    raw_topic, enriched = pipeline_env["NEWSSTREAM_TOPIC_RAW"], pipeline_env["NEWSSTREAM_TOPIC_ENRICHED"]
    first = start_worker(pipeline_env, tmp_path / "worker1.log")
    try:
        await producer.send_and_wait(raw_topic, _raw(2), key=b"flood-live")
        assert len(await consume(broker.bootstrap, enriched, 2)) == 2
    finally:
        assert first.stop() == 0

    second = start_worker(pipeline_env, tmp_path / "worker2.log")
    try:
        await producer.send_and_wait(raw_topic, _raw(3, edited=True), key=b"flood-live")
        records = await consume(broker.bootstrap, enriched, 4)
        later = [orjson.loads(r.value) for r in records[2:]]
        assert sorted((e["headline"], e["revision"]) for e in later) == [
            ("Update number 1 from the river", 2),
            ("Update number 3 from the river", 1),
        ]
        await producer.send_and_wait(raw_topic, _raw(3, edited=True), key=b"flood-live")
        await wait_for_metric(second, "newsstream_articles_consumed_total", 2)
        text = second.get("/metrics")[1]
        assert metric(text, "newsstream_entries_unchanged_total") == 1 + 3
        again = await consume(broker.bootstrap, enriched, 5, timeout=3)
        assert len(again) == 4  # the unchanged re-send published nothing
    finally:
        assert second.stop() == 0


async def test_a_line_a_source_repeats_is_learnt_as_boilerplate(
    broker: DevBroker, worker: RunningWorker, producer: AIOKafkaProducer
) -> None:
    shared = "Listen to our harbour podcast every weekday morning"
    for i in range(4):
        content = f"Harbour story {i}\nShips number {i} docked at the harbour on Monday.\n{shared}\n"
        raw = RawArticle(source="harbour-news", content=content, article_id=f"h{i}")
        # one partition, so the articles are processed in the order sent
        await producer.send_and_wait(
            worker.env["NEWSSTREAM_TOPIC_RAW"], encode(raw), key=f"h{i}".encode(), partition=0
        )
    records = await consume(broker.bootstrap, worker.env["NEWSSTREAM_TOPIC_ENRICHED"], 4)
    bodies = {orjson.loads(r.value)["article_id"]: orjson.loads(r.value)["body"] for r in records}
    assert shared in bodies["h0"] and shared in bodies["h1"]
    assert shared not in bodies["h2"] and shared not in bodies["h3"]  # seen in 3 articles by then


async def wait_for_metric(worker: RunningWorker, name: str, value: float, timeout: float = 30.0) -> None:
    """Poll /metrics until `name` reaches `value`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if metric(worker.get("/metrics")[1], name) >= value:
            return
        await asyncio.sleep(0.3)
    raise AssertionError(f"{name} did not reach {value} in {timeout}s")
