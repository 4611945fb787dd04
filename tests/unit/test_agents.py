"""The agents' delivery check: a message the producer gave up on is counted and logged."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from streams.agents import Stages
from streams.metrics import Metrics
from streams.settings import Settings


def _stages() -> Stages:
    # Only the metrics matter to the delivery callback; the rest is never touched.
    none: Any = None
    return Stages(none, none, Metrics.create(CollectorRegistry()), Settings(), article_state={})


def _future(
    result: object = None, error: BaseException | None = None, cancel: bool = False
) -> asyncio.Future[Any]:
    fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    if cancel:
        fut.cancel()
    elif error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(result)
    return fut


def _errors(stages: Stages, topic: str) -> float | None:
    return stages.metrics.registry.get_sample_value("newsstream_send_errors_total", {"topic": topic})


async def test_a_delivered_message_counts_nothing() -> None:
    stages = _stages()
    stages._delivered("t.enriched", _future(result=object()))
    assert _errors(stages, "t.enriched") is None


@pytest.mark.parametrize("kwargs", [{"error": TimeoutError("no leader")}, {"cancel": True}])
async def test_a_message_given_up_on_is_counted_and_logged(
    kwargs: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    stages = _stages()
    with caplog.at_level(logging.ERROR, logger="newsstream.agents"):
        stages._delivered("t.enriched", _future(**kwargs))
    assert _errors(stages, "t.enriched") == 1.0
    assert [r.getMessage() for r in caplog.records] == ["send failed"]
    assert caplog.records[0].topic == "t.enriched"  # type: ignore[attr-defined]
