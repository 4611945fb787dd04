"""The app recovers tables with the seek-first recovery (records are never skipped at a rebalance)."""

from __future__ import annotations

import asyncio
import inspect
from collections import Counter
from typing import Any

import pytest
from faust.tables.recovery import Recovery
from faust.types import TP
from prometheus_client import CollectorRegistry

from streams.runtime.app import build
from streams.runtime.overrides.recovery import RecoveringOffsets, SeekFirstRecovery, SeekFirstTableManager
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


async def _detect_aborted_tx_shape(highwaters: Counter[TP], offsets: Counter[TP], revoke: Any) -> None:
    """The loop of Faust's nested `detect_aborted_tx`: a rebalance runs during its await."""
    for tp, highwater in highwaters.items():
        if highwater is not None and offsets[tp] is not None and offsets[tp] < highwater:
            await asyncio.sleep(0)  # consumer.position(tp); the rebalance revokes meanwhile
            revoke()
            offsets[tp] = highwater


async def test_a_revocation_during_the_aborted_transaction_check_is_harmless() -> None:
    recovery = build(Settings(), CollectorRegistry()).app.tables.recovery
    kept, gone = TP("changelog", 0), TP("changelog", 1)
    recovery.active_tps.update({kept, gone})
    for tp in (kept, gone):
        recovery.active_highwaters[tp] = 10
        recovery.active_offsets[tp] = 5

    def revoke() -> None:
        recovery.active_tps.discard(gone)
        recovery.revoke(gone)

    await _detect_aborted_tx_shape(recovery.active_highwaters, recovery.active_offsets, revoke)
    assert recovery.active_offsets == {kept: 10}  # the revoked partition got no stale offset
    assert gone not in recovery.active_highwaters


async def test_faust_s_own_counters_fail_the_same_loop() -> None:
    # What the override is for: without it, the loop above raises (as Faust's did).
    highwaters: Counter[TP] = Counter({TP("t", 0): 10, TP("t", 1): 10})
    with pytest.raises(RuntimeError, match="changed size during iteration"):
        await _detect_aborted_tx_shape(highwaters, Counter(), lambda: highwaters.pop(TP("t", 1), None))


def test_offsets_of_partitions_not_being_recovered_are_dropped() -> None:
    recovering = {TP("t", 0)}
    offsets = RecoveringOffsets(recovering)
    offsets[TP("t", 0)] = 3
    offsets[TP("t", 1)] = 7
    assert offsets == {TP("t", 0): 3}


def test_faust_slurps_changelogs_with_the_counters_it_was_built_with() -> None:
    # The override replaces the Counters once, in __init__: Faust must bind them there and in
    # `_slurp_changelogs`, never create new ones (the fingerprints pin the rest).
    init = inspect.getsource(Recovery.__init__)
    assert init.count("self.active_highwaters = ") == 1
    assert init.count("self.active_offsets = ") == 1
    slurp = inspect.getsource(Recovery._slurp_changelogs.fun)
    assert "highwaters = self.active_highwaters" in slurp
    assert "await self.app.consumer.position(tp)" in slurp
