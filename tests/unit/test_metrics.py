"""Metrics are built on an injected registry with the contract's names."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest

from streams.metrics import Metrics

CONTRACT = [
    "newsstream_articles_consumed_total",
    "newsstream_entries_produced_total",
    "newsstream_tags_total",
    "newsstream_dead_letters_total",
    "newsstream_stage_duration_seconds",
    "newsstream_end_to_end_latency_seconds",
    "newsstream_consumer_lag_messages",
    "newsstream_rebalances_total",
    "newsstream_last_processed_timestamp_seconds",
    "newsstream_build_info",
]


def test_fresh_registries_do_not_clash() -> None:
    a, b = Metrics.create(CollectorRegistry()), Metrics.create(CollectorRegistry())
    a.articles_consumed.inc(3)
    assert b.registry.get_sample_value("newsstream_articles_consumed_total") == 0.0


def test_exposition_names() -> None:
    m = Metrics.create(CollectorRegistry())
    m.entries_produced.labels("split", "post").inc()
    m.tags.labels("person").inc()
    m.dead_letters.labels("split", "invalid_json").inc()
    m.stage_duration.labels("split").observe(0.01)
    m.end_to_end_latency.observe(0.2)
    m.consumer_lag.labels("news.articles.raw", "0").set(4)
    m.last_processed.labels("split").set(1.0)
    text = generate_latest(m.registry).decode()
    for name in CONTRACT:
        assert f"\n{name}" in text or text.startswith(name), name


def test_labelled_children_are_remembered_and_counted_as_labels_would() -> None:
    m = Metrics.create(CollectorRegistry())
    first = m.child(m.entries_produced, "split", "post")
    assert m.child(m.entries_produced, "split", "post") is first
    assert first is m.entries_produced.labels("split", "post")
    first.inc(2)
    m.child(m.tags, "person").inc()
    get = m.registry.get_sample_value
    assert get("newsstream_entries_produced_total", {"stage": "split", "kind": "post"}) == 2.0
    assert get("newsstream_tags_total", {"type": "person"}) == 1.0
