"""`newsstream ingest` publishes feed items to the broker, keyed by article id."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from streams.dev.broker import DevBroker
from streams.split.ids import article_id_for
from tests.httpfixture import Site
from tests.integration.conftest import consume

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def test_ingest_publishes_feed_items_and_reports_failures(
    broker: DevBroker, pipeline_env: dict[str, str], site: Site, tmp_path: Path
) -> None:
    env = {**pipeline_env, "NEWSSTREAM_CACHE_DIR": str(tmp_path)}
    cmd = [sys.executable, "-m", "streams.cli", "ingest", site.feed("rss.xml"), "--timeout", "2"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert first.returncode == 1  # one item is a 404
    assert "published 2, unchanged 0, failed 1 " in first.stderr and "http_404" in first.stderr
    records = await consume(broker.bootstrap, env["NEWSSTREAM_TOPIC_RAW"], 2)
    urls = {orjson.loads(r.value)["url"]: r.key for r in records}
    flood = f"{site.base}/articles/flood-live"
    assert urls[flood] == article_id_for(url=flood, content="", source="").encode()
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert "published 0, unchanged 2, failed 1 " in again.stderr
