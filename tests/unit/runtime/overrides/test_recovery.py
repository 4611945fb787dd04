"""The app recovers tables with the seek-first recovery (records are never skipped at a rebalance)."""

from __future__ import annotations

import inspect

from faust.tables.recovery import Recovery
from prometheus_client import CollectorRegistry

from streams.runtime.app import build
from streams.runtime.overrides.recovery import SeekFirstRecovery, SeekFirstTableManager
from streams.settings import Settings


def test_the_app_uses_the_seek_first_recovery() -> None:
    worker = build(Settings(), CollectorRegistry())
    assert isinstance(worker.app.tables, SeekFirstTableManager)
    assert isinstance(worker.app.tables.recovery, SeekFirstRecovery)


def test_the_overridden_methods_still_exist_in_faust() -> None:
    # A Faust upgrade that renames them would silently bring the skipping order back.
    for name in ("on_recovery_completed", "_resume_streams", "_is_changelog_tp", "_wait"):
        assert callable(getattr(Recovery, name)), name


def test_streams_are_sought_before_they_are_resumed() -> None:
    source = inspect.getsource(SeekFirstRecovery._seek_then_resume)
    assert source.index("perform_seek") < source.index("resume_partitions")
