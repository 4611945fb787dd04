"""The whole pipeline on the real broker: raw article in, enriched entries out."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from schemas import EnrichedEntry, RawArticle
from streams.codec import encode
from streams.deadletter import parse_headers
from streams.dev.broker import DevBroker
from tests.conftest import read_data
from tests.integration.conftest import RunningWorker, consume, worker_running

pytestmark = pytest.mark.integration

LIVEBLOG = RawArticle(
    source="test-source",
    content=read_data("liveblog_headlines.txt"),
    url="https://news.test/election-live",
    article_id="election-live",
)


async def test_liveblog_becomes_enriched_entries(
    broker: DevBroker, worker: RunningWorker, producer: AIOKafkaProducer
) -> None:
    env = worker.env
    await producer.send_and_wait(env["NEWSSTREAM_TOPIC_RAW"], encode(LIVEBLOG), key=b"election-live")
    records = await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"], 6)
    entries = sorted(
        (EnrichedEntry.model_validate(orjson.loads(r.value)) for r in records), key=lambda e: e.position
    )
    assert [(e.kind, e.headline) for e in entries] == [
        ("post", None),
        ("post", "Tavares concedes and offers cooperation on budget"),
        ("related", "Turnout reaches highest level in two decades"),
        ("related", "Markets react calmly to result"),
        ("post", 'Brussels welcomes "clear mandate" for new government'),
        ("post", "Far-right party gains seats but falls short of its target"),
    ]
    assert all(r.key == b"election-live" for r in records)
    first = {(t.type, t.name, t.id) for t in entries[0].tags}
    assert ("person", "Marta Carvalho", None) in first
    assert ("place", "Portugal", "iso3166:PT") in first
    assert ("topic", "politics", "medtop:11000000") in first
    assert all(e.pipeline_version and e.enriched_at for e in entries)


async def test_bad_input_is_dead_lettered_and_the_next_article_still_runs(
    broker: DevBroker, worker: RunningWorker, producer: AIOKafkaProducer
) -> None:
    env = worker.env
    raw_topic = env["NEWSSTREAM_TOPIC_RAW"]
    bad = [
        (b"k1", b'{"source": "s", "content": '),  # invalid JSON
        (b"k2", b'{"source": "s", "url": "https://n.test/x"}'),  # no content
        (b"k3", b'{"source": "s", "content": "caf\xe9 cr\xe8me"}'),  # Latin-1, not UTF-8
    ]
    for key, value in bad:
        await producer.send_and_wait(raw_topic, value, key=key, partition=0)
    good = RawArticle(source="s", content=read_data("article.txt"), article_id="cars")
    await producer.send_and_wait(raw_topic, encode(good), key=b"cars", partition=0)

    letters = await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_DEADLETTER"], 3)
    by_key = {r.key: r for r in letters}
    assert set(by_key) == {b"k1", b"k2", b"k3"}
    reasons = {key: parse_headers(list(by_key[key].headers)) for key in by_key}
    assert {k: h.reason for k, h in reasons.items()} == {
        b"k1": "invalid_json",
        b"k2": "missing_field",
        b"k3": "invalid_utf8",
    }
    for key, value in bad:
        assert by_key[key].value == value  # the original bytes, untouched
        assert reasons[key].original_topic == raw_topic and reasons[key].stage == "split"
    assert sorted(h.original_offset for h in reasons.values()) == [0, 1, 2]

    [entry] = await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"], 1)
    assert orjson.loads(entry.value)["article_id"] == "cars"

    status, text = worker.get("/metrics")
    assert status == 200
    assert metric(text, 'newsstream_dead_letters_total{reason="invalid_json",stage="split"}') == 1
    assert metric(text, 'newsstream_dead_letters_total{reason="invalid_utf8",stage="split"}') == 1


async def test_an_entry_too_large_to_publish_is_dead_lettered(
    broker: DevBroker, pipeline_env: dict[str, str], producer: AIOKafkaProducer, tmp_path: Path
) -> None:
    env = {**pipeline_env, "NEWSSTREAM_MAX_OUTPUT_BYTES": "20000"}
    with worker_running(env, tmp_path / "worker.log"):
        sentence = "The committee heard evidence from harbour pilots about the tides. "
        huge = RawArticle(source="s", content="Inquiry report\n" + sentence * 500, article_id="huge")
        await producer.send_and_wait(env["NEWSSTREAM_TOPIC_RAW"], encode(huge), key=b"huge", partition=0)
        good = RawArticle(source="s", content=read_data("article.txt"), article_id="cars")
        await producer.send_and_wait(env["NEWSSTREAM_TOPIC_RAW"], encode(good), key=b"cars", partition=0)
        [letter] = await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_DEADLETTER"], 1)
        headers = parse_headers(list(letter.headers))
        assert (letter.key, headers.stage, headers.reason) == (b"huge", "split", "entry_too_large")
        [entry] = await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"], 1)
        assert orjson.loads(entry.value)["article_id"] == "cars"  # the worker went on


async def test_metrics_health_and_ready_move_with_work(
    broker: DevBroker, worker: RunningWorker, producer: AIOKafkaProducer
) -> None:
    env = worker.env
    assert worker.get("/health")[0] == 200
    assert worker.get("/ready")[0] == 200
    before = worker.get("/metrics")[1]
    assert "newsstream_build_info" in before
    assert metric(before, "newsstream_articles_consumed_total") == 0

    for name in ("liveblog_times.txt", "liveblog_headlines.txt", "article.txt"):
        raw = RawArticle(source="s", content=read_data(name), article_id=name)
        await producer.send_and_wait(env["NEWSSTREAM_TOPIC_RAW"], encode(raw), key=name.encode())
    await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"], 10)

    text = worker.get("/metrics")[1]
    assert metric(text, "newsstream_articles_consumed_total") == 3
    assert metric(text, 'newsstream_entries_produced_total{kind="post",stage="enrich"}') == 7
    assert metric(text, 'newsstream_entries_produced_total{kind="related",stage="enrich"}') == 2
    assert metric(text, 'newsstream_entries_produced_total{kind="article",stage="enrich"}') == 1
    assert metric(text, 'newsstream_tags_total{type="topic"}') >= 10
    assert metric(text, "newsstream_end_to_end_latency_seconds_count") == 10
    assert metric(text, 'newsstream_stage_duration_seconds_count{stage="split"}') == 3
    assert metric(text, "newsstream_rebalances_total") >= 1
    started = metric(before, 'newsstream_last_processed_timestamp_seconds{stage="enrich"}')
    assert metric(text, 'newsstream_last_processed_timestamp_seconds{stage="enrich"}') > started > 0
    assert 'newsstream_build_info{python="' in text
    lag = await _lag_samples(worker, env["NEWSSTREAM_TOPIC_RAW"])
    assert lag and all(value == 0 for value in lag.values())  # all three articles processed


async def _lag_samples(worker: RunningWorker, topic: str, timeout: float = 15.0) -> dict[str, float]:
    """Lag gauge values per partition of `topic`, once the worker has reported them."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        text = worker.get("/metrics")[1]
        found = dict(
            re.findall(
                rf'^newsstream_consumer_lag_messages{{partition="(\d+)",topic="{re.escape(topic)}"}} (\S+)$',
                text,
                re.MULTILINE,
            )
        )
        if len(found) == 2:  # both partitions of the test's topic
            return {k: float(v) for k, v in found.items()}
        await asyncio.sleep(0.5)
    return {}


async def test_json_logs_carry_ids_not_payloads(
    broker: DevBroker, pipeline_env: dict[str, str], producer: AIOKafkaProducer, tmp_path: Path
) -> None:
    env = {**pipeline_env, "NEWSSTREAM_LOG_FORMAT": "json"}
    with worker_running(env, tmp_path / "worker.log") as running:
        raw = RawArticle(source="s", content=read_data("article.txt"), article_id="cars")
        await producer.send_and_wait(env["NEWSSTREAM_TOPIC_RAW"], encode(raw), key=b"cars")
        await producer.send_and_wait(env["NEWSSTREAM_TOPIC_RAW"], b"{broken", key=b"bad")
        await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_DEADLETTER"], 1)
        await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"], 1)
        await asyncio.sleep(1)
    lines = [orjson.loads(line) for line in running.log.read_text().splitlines() if line.startswith("{")]
    events = {line["message"]: line for line in lines}
    assert events["article split"]["article_id"] == "cars"
    assert events["entries enriched"]["entry_ids"]
    assert events["dead letter"]["reason"] == "invalid_json"
    text = running.log.read_text()
    assert "recalling about 200,000 electric cars" not in text and "{broken" not in text


def metric(text: str, name: str) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0
