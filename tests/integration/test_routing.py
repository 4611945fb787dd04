"""Routing on the real broker: one enriched entry fans out to several topics."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from schemas import RawArticle
from streams.codec import encode
from streams.dev.broker import DevBroker
from tests.conftest import read_data
from tests.integration.conftest import consume, worker_running
from tests.integration.test_pipeline import metric

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def test_entries_are_routed_by_topic_and_country(
    broker: DevBroker, pipeline_env: dict[str, str], producer: AIOKafkaProducer, tmp_path: Path
) -> None:
    tag = pipeline_env["NEWSSTREAM_APP_ID"]
    routes = tmp_path / "routes.yaml"
    routes.write_text(
        "routes:\n"
        f"  - {{name: politics, when: {{topic: politics}}, to: [{tag}.politics]}}\n"
        f"  - {{name: portugal, when: {{country: PT}}, to: [{tag}.pt, {tag}.politics]}}\n"
        f"  - {{name: japan, when: {{country: JP}}, to: [{tag}.jp]}}\n"
    )
    env = {**pipeline_env, "NEWSSTREAM_ROUTES_FILE": str(routes)}
    with worker_running(env, tmp_path / "worker.log") as running:
        raw = RawArticle(source="s", content=read_data("liveblog_headlines.txt"), article_id="vote")
        await producer.send_and_wait(env["NEWSSTREAM_TOPIC_RAW"], encode(raw), key=b"vote")
        enriched = await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"], 6)
        politics = await consume(broker.bootstrap, f"{tag}.politics", 6)
        portugal = await consume(broker.bootstrap, f"{tag}.pt", 1)
        politics_ids = {orjson.loads(r.value)["entry_id"] for r in politics}
        first = orjson.loads(enriched[0].value)
        assert len(politics) == len(politics_ids)  # each entry once per topic, even when two rules match
        assert {orjson.loads(r.value)["entry_id"] for r in portugal} <= politics_ids
        assert first["entry_id"] in {orjson.loads(r.value)["entry_id"] for r in enriched}
        text = running.get("/metrics")[1]
        assert metric(text, 'newsstream_entries_routed_total{route="politics"}') >= 1
    assert await consume(broker.bootstrap, f"{tag}.jp", 1, timeout=3) == []


def test_a_bad_routes_file_stops_the_worker_with_a_clear_error(
    pipeline_env: dict[str, str], tmp_path: Path
) -> None:
    import subprocess
    import sys

    routes = tmp_path / "routes.yaml"
    routes.write_text("routes: [{name: a, when: {cuntry: UA}, to: [t]}]\n")
    proc = subprocess.run(
        [sys.executable, "-m", "streams.cli", "worker"],
        capture_output=True,
        text=True,
        env={**pipeline_env, "NEWSSTREAM_ROUTES_FILE": str(routes)},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "bad_routes" in proc.stderr and "when.cuntry" in proc.stderr and "Traceback" not in proc.stderr
