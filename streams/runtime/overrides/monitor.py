"""Faust's monitor without its per-message bookkeeping: our Prometheus metrics count those.

Upstream: `faust.sensors.monitor.Monitor`'s per-message, per-event, per-send and
per-table-access hooks become no-ops; its commit, rebalance and error records stay.

Faust calls its monitor for every message in and out, every stream event in and out,
every changelog send and every table read and write, and the monitor keeps counters,
timings and deques that only Faust's own `/stats/` page shows. In a busy worker those
calls were about 0.7 % of the CPU. The worker's figures are on `/metrics` (`streams.metrics`);
this monitor keeps Faust's per-partition, commit, rebalance and error records.

Example:
    >>> LeanMonitor().on_message_in(None, 0, None)  # nothing kept per message
"""

from __future__ import annotations

from typing import Any

from faust.sensors.monitor import Monitor

#: The hooks this module replaces (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    f"faust.sensors.monitor.Monitor.{hook}": pin
    for hook, pin in {
        "on_message_in": "a2ed6a359743782a",
        "on_message_out": "ae62eaec781dec80",
        "on_stream_event_in": "de452defd9dad12e",
        "on_stream_event_out": "dd7e69014a8edac2",
        "on_send_initiated": "700a8cb4529caf47",
        "on_send_completed": "3bc3b8ca314cccec",
        "on_table_get": "b068ebdbc4afb884",
        "on_table_set": "497fc36266366787",
        "on_table_del": "2d70f13ff225c0f5",
    }.items()
}


class LeanMonitor(Monitor):
    """A `Monitor` whose per-message and per-table-access hooks do nothing."""

    def on_message_in(self, tp: Any, offset: int, message: Any) -> None:
        """Nothing: the agents count what they consume (`newsstream_articles_consumed_total`)."""

    def on_message_out(self, tp: Any, offset: int, message: Any) -> None:
        """Nothing kept per message."""

    def on_stream_event_in(self, tp: Any, offset: int, stream: Any, event: Any) -> None:
        """Nothing: stage durations are `newsstream_stage_duration_seconds`."""

    def on_stream_event_out(self, tp: Any, offset: int, stream: Any, event: Any, state: Any = None) -> None:
        """Nothing kept per event."""

    def on_send_initiated(self, producer: Any, topic: str, message: Any, keysize: int, valsize: int) -> None:
        """Nothing: only changelog sends come through here (the agents send directly)."""

    def on_send_completed(self, producer: Any, state: Any, metadata: Any) -> None:
        """Nothing kept per send (failed sends still reach `on_send_error`)."""

    def on_table_get(self, table: Any, key: Any) -> None:
        """Nothing kept per table read."""

    def on_table_set(self, table: Any, key: Any, value: Any) -> None:
        """Nothing kept per table write."""

    def on_table_del(self, table: Any, key: Any) -> None:
        """Nothing kept per table delete."""
