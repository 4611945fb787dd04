"""`stored_value` reads a Faust RocksDB store as the store's own `get` does (it calls its privates)."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry

from streams.runtime.app import build
from streams.runtime.overrides.store import stored_value
from streams.settings import Settings


def test_stored_value_reads_a_faust_store_as_its_get_does(tmp_path: Path) -> None:
    """`stored_value` relies on private methods of Faust's RocksDB store; `get` is the reference."""
    table = build(Settings(state_dir=tmp_path), CollectorRegistry()).app.tables["learnt-lines"]
    store = table.data
    store._db_for_partition(0)[store._encode_key("k")] = store._encode_value([3, ["a"]])
    assert stored_value(table, "k") == store.get("k") == [3, ["a"]]
    assert stored_value(table, "missing") is store.get("missing") is None
