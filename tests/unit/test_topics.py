"""Changelog topics are specified as Faust would create them, so workers can create them first."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from streams.app import build
from streams.settings import Settings
from streams.topics import changelog_topics


def test_changelog_topics_match_the_tables() -> None:
    worker = build(Settings(app_id="ct", topic_replication=3), CollectorRegistry(), input_partitions=6)
    specs = {spec.name: spec for spec in changelog_topics(worker.app)}
    assert set(specs) == {"ct-article-states-changelog", "ct-learnt-lines-changelog"}
    state, lines = specs["ct-article-states-changelog"], specs["ct-learnt-lines-changelog"]
    assert (state.num_partitions, state.replication_factor) == (6, 3)  # the input topic's count
    # Both compacted, and deleted once their windows expire (two days).
    windowed = {"cleanup.policy": "compact,delete", "retention.ms": str(2 * 86_400_000)}
    assert state.topic_configs == lines.topic_configs == windowed
    assert lines.num_partitions == 6
