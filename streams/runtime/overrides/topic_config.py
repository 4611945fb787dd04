"""The topic configuration Faust would give a topic it creates (cleanup policy, retention).

Upstream: Faust's aiokafka `Transport._topic_config` (private) builds it inside
`Topic.declare`. The worker creates its tables' changelog topics itself before Faust
starts (see `streams.runtime.tables.changelog_topics`), with the same configuration.

Example:
    >>> from prometheus_client import CollectorRegistry
    >>> from streams.runtime.app import build
    >>> from streams.settings import Settings
    >>> app = build(Settings(), CollectorRegistry()).app
    >>> table = next(iter(app.tables.values()))
    >>> topic_config(app, table.changelog_topic)["cleanup.policy"]
    'compact,delete'
"""

from __future__ import annotations

from typing import Any, cast

from faust.types import AppT, TopicT
from mode.utils.times import want_seconds

#: What this module relies on (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "faust.transport.drivers.aiokafka.Transport._topic_config": "8b76e13e83cfe618",
    "faust.topics.Topic.declare": "c68104009eed218a",
}


def topic_config(app: AppT, topic: TopicT) -> dict[str, str]:
    """Faust's own cleanup-policy and retention config for `topic`, then its explicit config on top."""
    retention_ms = int(want_seconds(topic.retention) * 1000) if topic.retention else None
    config = cast(Any, app.transport)._topic_config(retention_ms, topic.compacting, topic.deleting)
    config.update(topic.config or {})
    return {str(k): str(v) for k, v in config.items()}
