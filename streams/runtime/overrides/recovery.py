"""Faust table recovery that seeks stream partitions before it resumes them (no skipped records).

Upstream: `Recovery._resume_streams` and `Recovery.on_recovery_completed` are copied
from faust-streaming 0.15 with one change (the seek moved before the resume), and
`TableManager.recovery` builds this class.

faust-streaming's `Recovery` resumes the stream partitions first and seeks them to their
committed offsets second, while the fetcher is already running. Records fetched in that
window reach the agents' queues, the read offsets move past them, the seek moves them back,
and `flow_control.resume()` then clears the queues: the records in them are never handed
to an agent again, and the offsets behind them are either never committed (the partition
stalls) or committed through Faust's gap bookkeeping (the records are lost). This happened
at every worker start whose tables had changelog data to restore, and after rebalances;
the SIGTERM/SIGKILL fault tests lost 14-330 entries that way.

Here the seek happens while the stream partitions are still paused, so the first record an
agent sees after a rebalance is the one at the committed offset. The two methods below are
Faust's own (0.15.x) with the seek moved before `resume_partitions`.

A second race, in exactly-once mode: after two idle recovery cycles, the nested
`detect_aborted_tx` of `Recovery._slurp_changelogs` iterates `active_highwaters.items()`
and awaits `consumer.position(tp)` inside the loop. A rebalance in that await runs
`Recovery.revoke`, which pops from the same Counter: "dictionary changed size during
iteration", which the loop logs as "Error in recovery" (seen once in the join/leave
fault test; the entries that run lost came from `overrides/fetch.py`'s bug). After the
await, the function may also write the old highwater as the offset of a partition that
is no longer assigned, which a later assignment of it would take as already restored. So the highwaters here
iterate over a snapshot, and offsets are kept only for partitions being recovered.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import ItemsView, Set
from typing import Any, cast

from faust.tables.manager import TableManager
from faust.tables.recovery import Recovery
from faust.types import TP

#: What this module copies or replaces (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "faust.tables.recovery.Recovery._resume_streams": "fbe0f747b84c0b27",
    "faust.tables.recovery.Recovery.on_recovery_completed": "895e7c415a4d1379",
    "faust.tables.manager.TableManager.recovery": "9e5e10447444e1df",
    # The highwaters and offsets Counters: created once, iterated across an await, popped.
    "faust.tables.recovery.Recovery.__init__": "0b42091feae4abbd",
    "faust.tables.recovery.Recovery._slurp_changelogs.fun": "7e3120dad754763d",
    "faust.tables.recovery.Recovery.revoke": "b22e61ecd04cc078",
    "faust.tables.recovery.Recovery.on_rebalance": "31030bc1807f4cd3",
}


class SnapshotCounter(Counter[TP]):
    """A Counter whose `items()` is a copy: it can change while a loop over it awaits."""

    def items(self) -> ItemsView[TP, int]:  # type: ignore[override]
        # A dict's items view of a copy: the caller's loop no longer sees pops made by a
        # rebalance that ran during one of its awaits.
        return dict(self).items()


class RecoveringOffsets(Counter[TP]):
    """Active changelog offsets that only accept partitions still being recovered."""

    def __init__(self, recovering: Set[TP]) -> None:
        super().__init__()
        self._recovering = recovering

    def __setitem__(self, tp: TP, offset: int) -> None:
        # A write for a partition revoked meanwhile would survive into its next
        # assignment and mark changelog records restored that never were.
        if tp in self._recovering:
            super().__setitem__(tp, offset)


class SeekFirstRecovery(Recovery):
    """`Recovery` whose stream partitions are sought to committed offsets before resuming."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Faust binds these once (in `_slurp_changelogs` too), so they are replaced here,
        # before any recovery starts, and never reassigned.
        self.active_highwaters = SnapshotCounter()
        self.active_offsets = RecoveringOffsets(self.active_tps)

    async def _seek_then_resume(self, generation_id: int) -> bool:
        """Seek paused stream partitions, then resume them; False when a rebalance overtook us."""
        consumer = self.app.consumer
        assignment = consumer.assignment()
        if self.app.consumer_generation_id != generation_id:
            self.log.warning("Recovery rebalancing again")
            return False
        if assignment:
            self.log.info("Seek stream partitions to committed offsets (before resuming them).")
            await self._wait(consumer.perform_seek(), timeout=self.app.conf.broker_request_timeout)
        consumer.resume_partitions({tp for tp in assignment if not self._is_changelog_tp(tp)})
        return True

    async def _resume_streams(self, generation_id: int = 0) -> None:
        app = self.app
        await app.on_rebalance_complete.send()
        if await self._seek_then_resume(generation_id):
            self.log.info("Resuming flow...")
            await self._resume_flow(standbys_ready=True)

    async def on_recovery_completed(self, generation_id: int = 0) -> None:
        """Call when active table recovery is completed."""
        app = self.app
        self.log.info("Restore complete!")
        await app.on_rebalance_complete.send()
        self._set_recovery_ended()
        await self._tables_recovered()
        if await self._seek_then_resume(generation_id):
            await self._resume_flow(standbys_ready=not app.assignor.assigned_standbys())

    async def _resume_flow(self, standbys_ready: bool) -> None:
        """Let the fetched records flow to the agents again and mark the rebalance done."""
        app = self.app
        self.completed.set()
        app.flow_control.resume()
        app.consumer.resume_flow()
        await cast(Any, app)._fetcher.maybe_start()
        self.tables.on_actives_ready()
        if standbys_ready:
            self.tables.on_standbys_ready()
        app.on_rebalance_end()
        self.log.info("Worker ready")

    async def _tables_recovered(self) -> None:
        callbacks = [
            asyncio.ensure_future(
                table.on_recovery_completed(self.actives_for_table[table], self.standbys_for_table[table])
            )
            for table in self.tables.values()
        ]
        if callbacks:
            await asyncio.wait(callbacks)


class SeekFirstTableManager(TableManager):
    """Faust's table manager with `SeekFirstRecovery` (set as the app's `TableManager`)."""

    @property
    def recovery(self) -> Recovery:
        """Recovery service used by this table manager."""
        if self._recovery is None:
            self._recovery = SeekFirstRecovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return self._recovery
