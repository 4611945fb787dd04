"""Table state a worker can trust: what it is given is restored from the changelog, never from old files.

Upstream faust-streaming:

- `AIOKafkaConsumerThread._highwaters` answers, with the exactly_once guarantee, with
  `last_stable_offset`, a value aiokafka caches from fetch responses, so a changelog
  partition not fetched yet since its assignment has no highwater (None, taken as -1).
  Recovery then either restores nothing (an empty table) or, with data on disk, stops the
  worker with a `ConsistencyError` ("persisted offset ... higher than the last offset ...
  (5214 > -1)"), which is how a worker died when a second one joined and left;
- the RocksDB store writes a table value to disk when the agent sets it, before its
  changelog record is delivered (at_least_once) or its transaction commits
  (exactly_once). After a crash, a revocation or an aborted transaction, the files hold
  values no changelog record has, and recovery only adds records on top of them. The
  split stage's state then says an article's entries were sent when they never were:
  the article comes again (its offset was not committed) and its entries are not sent
  (204 entries lost across 3 SIGKILLs in at_least_once mode on a slow machine).

Here, `CommittedOffsetsThread` asks the broker (`end_offsets`; for the read_committed
consumer of exactly_once mode the last stable offset), and `CommittedStore` discards its
files for every table partition it is newly assigned (at start and at each rebalance),
so the partition is restored from the changelog, which a read_committed consumer reads
without aborted records. A partition kept across a rebalance keeps its files: only this
worker wrote to it, and its writes are delivered (or committed) or lost with the worker.
In at_least_once mode the split handler sets an article's state after sending its
entries, so the state's changelog record never reaches the producer before them.

The price is a full changelog restore per newly assigned partition (the changelogs are
compacted and forget after two windows; see streams.runtime.tables).

Example:
    >>> CommittedStore.discarded_suffix
    '.discarded'
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Iterable, Mapping

from faust.stores import rocksdb
from faust.types import TP, CollectionT

from streams.runtime.overrides.fetch import RequestedPartitionsOnly

#: What this module replaces or relies on (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "faust.transport.drivers.aiokafka.AIOKafkaConsumerThread._highwaters": "829699ec62b7ec5b",
    "faust.tables.recovery.Recovery._build_highwaters": "32d70220d2a8a96f",
    "faust.stores.rocksdb.Store.assign_partitions": "5fff1f6b6066ddb7",
    "faust.stores.rocksdb.Store.partition_path": "673c6bada85aab33",
    "faust.stores.rocksdb.Store._db_for_partition": "abc425297c7542f0",
    "faust.tables.base.Collection._new_store_by_url": "28b01ee9bcc6a6e2",
}

log = logging.getLogger("newsstream.committed")


class CommittedOffsetsThread(RequestedPartitionsOnly):
    """Faust's aiokafka consumer thread, with highwaters asked of the broker in every mode.

    It also fetches only the partitions asked for (`streams.runtime.overrides.fetch`).
    """

    async def _highwaters(self, partitions: Iterable[TP]) -> Mapping[TP, int]:
        """The end offsets; for a read_committed consumer the last stable offsets."""
        consumer = self._ensure_consumer()
        return dict(await consumer.end_offsets(list(partitions)))


class CommittedStore(rocksdb.Store):
    """Faust's RocksDB store, where a newly assigned partition starts empty and is restored."""

    discarded_suffix = ".discarded"

    async def assign_partitions(self, table: CollectionT, tps: set[TP], generation_id: int = 0) -> None:
        """Open the newly assigned partitions without the files of earlier owners or runs."""
        standbys = self.app.assignor.assigned_standbys()
        for tp in tps:
            if tp.topic in table.changelog_topic.topics and tp not in standbys:
                self._discard(tp.partition)
        await super().assign_partitions(table, tps, generation_id)

    def _discard(self, partition: int) -> None:
        """Forget the files of one partition (moved aside first: an old handle may still hold them)."""
        db = self._dbs.pop(partition, None)
        if db is not None:
            # Closed now, not when the collector gets to it: RocksDB refuses to open a path
            # whose lock a live handle of this process still holds, and Faust then retries.
            db.close()
        self._key_index.clear()  # a cache of key -> partition, some of it now wrong
        path = self.partition_path(partition)
        if not path.exists():
            return
        aside = path.with_name(f"{path.name}{self.discarded_suffix}-{uuid.uuid4().hex[:8]}")
        path.rename(aside)
        shutil.rmtree(aside, ignore_errors=True)
        log.info("table partition discarded", extra={"table": self.table_name, "partition": partition})
