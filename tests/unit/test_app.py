"""Wiring: where a worker keeps its table files, and which store the tables use."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry

from streams.app import build, worker_datadir
from streams.settings import Settings


def test_each_worker_keeps_its_table_files_apart(tmp_path: Path) -> None:
    # state_dir given: the environment may set NEWSSTREAM_STATE_DIR.
    one = Settings(app_id="news", web_port=7001, cache_dir=tmp_path, state_dir=None)
    two = Settings(app_id="news", web_port=7002, cache_dir=tmp_path, state_dir=None)
    assert worker_datadir(one) == tmp_path / "faust" / "news" / "worker-7001"
    assert worker_datadir(one) != worker_datadir(two)  # RocksDB locks a database to one process
    moved = Settings(app_id="news", web_port=7001, cache_dir=tmp_path, state_dir=tmp_path / "state")
    assert worker_datadir(moved) == tmp_path / "state" / "news" / "worker-7001"


def test_tables_are_on_rocksdb_and_expire_with_two_windows(tmp_path: Path) -> None:
    worker = build(Settings(cache_dir=tmp_path, state_window_hours=1), CollectorRegistry())
    for table in worker.app.tables.values():
        assert table.data.__class__.__module__ == "faust.stores.rocksdb"
        assert table.options["ttl"] == 7200
        assert table.changelog_topic.config["retention.ms"] == str(7_200_000)
