"""Every Prometheus metric of a worker, built in one place from an injected registry.

Names follow Prometheus conventions: prefix `newsstream_`, base units (seconds),
`_total` counters, labels with bounded values only.

Example:
    >>> from prometheus_client import CollectorRegistry
    >>> m = Metrics.create(CollectorRegistry())
    >>> m.articles_consumed.inc()
    >>> m.registry.get_sample_value("newsstream_articles_consumed_total")
    1.0
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

from streams import __version__

# Measured here: split 1-4 ms per article, tagging 0.2-0.5 ms per entry; huge pages take longer.
STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)
# Raw publish to enriched publish: milliseconds when idle, seconds under backlog.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

M = TypeVar("M", Counter, Gauge, Histogram)


@dataclass(frozen=True)
class Metrics:
    """The worker's metrics; `create` registers them on a registry."""

    registry: CollectorRegistry
    articles_consumed: Counter
    entries_produced: Counter
    entries_unchanged: Counter
    entries_routed: Counter
    tags: Counter
    dead_letters: Counter
    send_errors: Counter
    stage_duration: Histogram
    end_to_end_latency: Histogram
    consumer_lag: Gauge
    rebalances: Counter
    last_processed: Gauge
    stories_marked: Counter
    story_wait: Histogram
    story_index_keys: Gauge
    build: Info
    _children: dict[tuple[int, tuple[str, ...]], Any] = field(default_factory=dict, compare=False)

    def child(self, metric: M, *values: str) -> M:
        """`metric.labels(*values)`, remembered: `labels` validates and locks on every call.

        For the per-message metrics, whose label values are few (stages, kinds, tag types).
        """
        key = (id(metric), values)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*values)
        return found  # the labelled child of an M is an M

    @classmethod
    def create(cls, registry: CollectorRegistry, prefix: str = "newsstream") -> Metrics:
        """Register every metric on `registry` (a fresh one in tests)."""
        p = prefix
        metrics = cls(
            registry=registry,
            articles_consumed=Counter(
                f"{p}_articles_consumed", "Raw articles read from the input topic.", registry=registry
            ),
            entries_produced=Counter(
                f"{p}_entries_produced",
                "Entries published, by stage and kind.",
                ["stage", "kind"],
                registry=registry,
            ),
            entries_unchanged=Counter(
                f"{p}_entries_unchanged",
                "Entries of re-sent articles not published again (text unchanged).",
                registry=registry,
            ),
            entries_routed=Counter(
                f"{p}_entries_routed",
                "Enriched entries also published to a routed topic, by route name.",
                ["route"],
                registry=registry,
            ),
            tags=Counter(
                f"{p}_tags", "Tags attached to enriched entries, by type.", ["type"], registry=registry
            ),
            dead_letters=Counter(
                f"{p}_dead_letters",
                "Messages sent to the dead-letter topic, by stage and reason.",
                ["stage", "reason"],
                registry=registry,
            ),
            send_errors=Counter(
                f"{p}_send_errors",
                "Messages the producer gave up on after its retries, by topic.",
                ["topic"],
                registry=registry,
            ),
            stage_duration=Histogram(
                f"{p}_stage_duration_seconds",
                "Processing time of one message in a stage.",
                ["stage"],
                buckets=STAGE_BUCKETS,
                registry=registry,
            ),
            end_to_end_latency=Histogram(
                f"{p}_end_to_end_latency_seconds",
                "Publish time of the raw article to publish of its enriched entry.",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            consumer_lag=Gauge(
                f"{p}_consumer_lag_messages",
                "Messages behind the end of each assigned partition.",
                ["topic", "partition"],
                registry=registry,
            ),
            rebalances=Counter(
                f"{p}_rebalances", "Consumer group rebalances seen by this worker.", registry=registry
            ),
            last_processed=Gauge(
                f"{p}_last_processed_timestamp_seconds",
                "Unix time of the last message processed.",
                ["stage"],
                registry=registry,
            ),
            stories_marked=Counter(
                f"{p}_stories_marked",
                "Entries given a story, by outcome: `new` (opened a story; stories open is its increase "
                "over the window), `joined` (same event, other words) or `copy` (a duplicate found).",
                ["outcome"],
                registry=registry,
            ),
            story_wait=Histogram(
                f"{p}_story_wait_seconds",
                "Time an enriched entry waited for its band answers (the round trip through the band index).",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            story_index_keys=Gauge(
                f"{p}_story_index_keys",
                "Keys (entry records and key lists) in this worker's band index and pending entries, "
                "by table (RocksDB's estimate).",
                ["table"],
                registry=registry,
            ),
            build=Info(f"{p}_build", "Version of newsstream and Python.", registry=registry),
        )
        metrics.build.info({"version": __version__, "python": platform.python_version()})
        return metrics
