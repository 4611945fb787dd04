"""The agents' delivery check: a message the producer gave up on is counted and logged."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from streams.metrics import Metrics
from streams.runtime.handlers import Stages
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


class _Producer:
    """Records what is sent; each send hands back a future, as Faust's producer does."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes | None]] = []

    async def send(self, topic: str, key: bytes | None, value: bytes | None, *rest: Any) -> Any:
        self.sent.append((topic, value))
        return _future(result=object())


class _App:
    """Faust's `maybe_start_producer` yields to the loop and makes a future on every call."""

    def __init__(self, producer: _Producer) -> None:
        self.producer, self.asked = producer, 0

    async def maybe_start_producer(self) -> _Producer:
        self.asked += 1
        await asyncio.sleep(0)
        return self.producer


class _Topic:
    def __init__(self, app: _App, name: str) -> None:
        self.app, self.name = app, name

    def get_topic_name(self) -> str:
        return self.name


async def test_the_producer_is_asked_for_once_and_later_sends_never_suspend() -> None:
    from streams.runtime.overrides.delivery import start_eagerly

    app = _App(_Producer())
    stages, topic = _stages(), _Topic(app, "t.entries")
    await stages.send(topic, b"k", b"v1")  # type: ignore[arg-type]  # a stand-in topic
    later = start_eagerly(stages.send(topic, b"k", b"v2"))  # type: ignore[arg-type]
    assert later.done  # ran to its end without giving the loop a turn
    assert app.asked == 1
    assert app.producer.sent == [("t.entries", b"v1"), ("t.entries", b"v2")]


class _States(dict[str, Any]):
    """An article-state table that notes how many messages were sent when a state was set."""

    def __init__(self, producer: _Producer) -> None:
        super().__init__()
        self.producer = producer
        self.sent_when_set: list[int] = []

    def __setitem__(self, key: str, value: Any) -> None:
        self.sent_when_set.append(len(self.producer.sent))
        super().__setitem__(key, value)


async def test_an_articles_state_is_set_after_its_entries_are_sent() -> None:
    # The state's changelog record must not reach the producer before the entries: a worker
    # killed in between would restore a state that says they were sent, and never send them.
    from types import SimpleNamespace

    from schemas.messages import RawArticle
    from streams.pipeline import Pipeline

    app = _App(_Producer())
    settings = Settings(tagger="fast")
    topics: Any = SimpleNamespace(
        **{n: _Topic(app, f"t.{n}") for n in ("raw", "entries", "enriched", "deadletter")}
    )
    states = _States(app.producer)
    stages = Stages(
        Pipeline.from_settings(settings), topics, Metrics.create(CollectorRegistry()), settings, states
    )
    raw = RawArticle(source="s", content="Harbour live\n09:40\nFerries resume\nThe ferries sailed again.\n")
    message = SimpleNamespace(
        topic="t.raw", partition=0, offset=7, key=b"a", value=raw.model_dump_json().encode()
    )
    message.timestamp = 1.0
    await stages.split_one(SimpleNamespace(message=message))  # type: ignore[arg-type]
    entries = [v for t, v in app.producer.sent if t == "t.entries"]
    assert entries
    assert states.sent_when_set == [len(entries)]
