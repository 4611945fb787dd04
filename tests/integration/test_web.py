"""The worker's port serves what operators need and nothing else (no Faust router or table views)."""

from __future__ import annotations

import pytest

from tests.integration.conftest import RunningWorker

pytestmark = pytest.mark.integration

#: Faust's own views (router, tables and a table's keys, index, graph, statistics, signals)
#: and what a scanner tries: none may answer.
NOT_SERVED = [
    "/",
    "/router/",
    "/router/article-states/",
    "/router/article-states/some-article/",
    "/table/",
    "/table/article-states/",
    "/table/article-states/some-article/",
    "/table/learnt-lines/",
    "/graph/",
    "/stats/",
    "/signal/",
    "/assignment/",
    "/debug/",
    "/metrics/../table/",
]


def test_only_metrics_health_and_ready_are_served(worker: RunningWorker) -> None:
    for path in ("/metrics", "/health", "/ready"):
        status, _ = worker.get(path)
        assert status == 200, path
    for path in NOT_SERVED:
        status, body = worker.get(path)
        assert status == 404, f"{path} answered {status}: {body[:200]}"
        assert "article" not in body.lower(), path
    # Only reads: a write to a served path is refused too.
    assert worker.post("/metrics") == 405
