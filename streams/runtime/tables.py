"""Worker state in Faust tables on disk (RocksDB), backed by changelog topics so restarts resume it.

Both tables keep what arrived in the last one to two windows (NEWSSTREAM_STATE_WINDOW_HOURS,
one day by default). A value carries the tumbling window it was written in, and a read
ignores it when it is too old, exactly as Faust's windowed tables read `current()` and
`delta(window)`. Faust's windowed tables were not used: they keep every windowed key in an
in-memory expiry index (about 0.3 KB a key), so RAM would grow with the window even with
the values on disk. Here RAM stays flat; what expires goes three ways:

- RocksDB drops values older than two windows when it compacts (its TTL mode),
- the changelog topics are `compact,delete` with a retention of two windows, so a
  recovering worker restores only what can still be read,
- a read ignores values older than the stores below accept, whatever is still on disk.

The tables:

- `article-states`: article id -> its entries' content hashes and revisions (live
  updates), packed into one string (`streams.split.updates.pack`): an article is
  remembered for one to two windows after its last change.
- `learnt-lines`: source + line fingerprint -> article ids, this window's. A line seen
  once is only remembered in memory (see `TableLineStore`).
- `story-bands` (partitioned like `news.stories.bands`): the entry records of the story
  stage's band index (`streams.stories.matching`); its window is
  NEWSSTREAM_STORY_WINDOW_HOURS. The entries under each band key and name word are a
  local index derived from these records (`BandStore`), with no changelog of its own.
- `story-pending` (partitioned like `news.stories.matches`): enriched entries waiting for
  their band answers, and the answers so far; deleted when the entry is published.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

import faust
import orjson
from aiokafka.admin import NewTopic
from faust.streams import current_event
from faust.types import AppT
from rocksdict import AccessType, Options, Rdict

from streams.runtime.overrides.store import stored_value
from streams.runtime.overrides.topic_config import topic_config
from streams.split import ArticleState, LineStore, pack, unpack
from streams.stories.matching import decode_signature, sketch, vector_hex

log = logging.getLogger("newsstream.tables")

#: Lines seen once that a worker remembers in memory (about 230 bytes each: 12 MB at most).
FIRST_SIGHTINGS_KEPT = 50_000

#: RocksDB sizing per table partition (a worker opens one database per table and partition:
#: 16 with 8 partitions). Faust's defaults (64 MB write buffers, a 2 GB block cache) let
#: RSS grow by gigabytes. The state is small values read once or twice, so the OS page
#: cache serves reads well enough; write buffers and block caches are what grew RSS (16
#: databases with 2 MB caches and 512 KB buffers: +21 MB over 42,000 articles; these
#: sizes: +5 MB, flat after 26,000).
ROCKSDB_OPTIONS = {
    "driver": "rocksdict",
    "write_buffer_size": 256 * 1024,
    "max_write_buffer_number": 2,
    "target_file_size_base": 8 * 1024 * 1024,
    "block_cache_size": 64 * 1024,
}


def event_time() -> float:
    """The record time of the event being processed (what Faust's windowed tables use)."""
    event = current_event()
    if event is None:
        raise RuntimeError("worker state is read and written inside an agent's event only")
    return float(event.message.timestamp)


class Windows:
    """Tumbling windows of a given length, and which one the current record falls in.

    Example:
        >>> Windows(timedelta(hours=1), clock=lambda: 7300.0).now()
        2
    """

    def __init__(self, window: timedelta, clock: Callable[[], float] = event_time) -> None:
        self.seconds = window.total_seconds()
        self.clock = clock

    def now(self) -> int:
        """The index of the current record's window."""
        return int(self.clock() // self.seconds)

    def recent(self, stored: Any, back: int) -> Any:
        """The payload of a stored `[window, payload]`, or None when older than `back` windows."""
        if not stored:
            return None
        window, payload = stored
        return payload if self.now() - int(window) <= back else None

    def tag(self, payload: Any) -> list[Any]:
        """`payload` as stored: `[window, payload]`."""
        return [self.now(), payload]


def windowed_table(app: faust.App, name: str, partitions: int, windows: Windows, help_: str) -> Any:
    """A plain Faust table on RocksDB whose disk and changelog forget after two windows."""
    kept = 2 * windows.seconds
    return app.Table(
        name,
        partitions=partitions,
        key_type=str,  # Faust picks the JSON codec for str keys and untyped values
        help=help_,
        options={**ROCKSDB_OPTIONS, "ttl": max(1, int(kept))},
        extra_topic_configs={"cleanup.policy": "compact,delete", "retention.ms": str(int(kept * 1000))},
    )


def article_state_table(app: faust.App, partitions: int, windows: Windows) -> Any:
    """Per-article entry hashes and revisions."""
    # Not `recent-articles` or `article-state` of earlier versions: their changelogs hold
    # windowed or unwindowed keys of other shapes.
    return windowed_table(
        app, "article-states", partitions, windows, "Entry hashes and revisions of each article seen."
    )


def line_table(app: faust.App, partitions: int, windows: Windows) -> Any:
    """Line counts per source."""
    return windowed_table(
        app, "learnt-lines", partitions, windows, "Article ids that contained each line, per source."
    )


class ArticleStates(Protocol):
    """Where the split agent reads and writes article states (a dict in tests)."""

    def get(self, key: str) -> ArticleState | None: ...

    def __setitem__(self, key: str, value: ArticleState) -> None: ...


class RecentArticleStates:
    """Article states written in this window or the previous one.

    Used inside the split agent's event context (windows follow the raw record's time).
    A live blog updated after two silent windows is new again: its entries are published
    once more, with the same entry ids.
    """

    def __init__(self, table: Any, windows: Windows) -> None:
        self.table = table
        self.windows = windows

    def get(self, key: str) -> ArticleState | None:
        return unpack(key, self.windows.recent(stored_value(self.table, key), back=1))

    def __setitem__(self, key: str, value: ArticleState) -> None:
        self.table[key] = self.windows.tag(pack(key, value))


class TableLineStore(LineStore):
    """Line counts of this window in a Faust table; used inside the split agent's event context.

    Most lines of an article (its own paragraphs) are never seen again, and every table
    write is a changelog message: counting each of them cost 14 changelog messages per
    article, more than its entries. So a first sighting stays in a bounded in-memory map
    and a line reaches the table at its second article. The price: after a restart or a
    rebalance, a line seen once before must be seen twice more, not once, to count twice.
    """

    def __init__(
        self, table: Any, windows: Windows, threshold: int, kept: int = FIRST_SIGHTINGS_KEPT
    ) -> None:
        super().__init__(threshold)
        self.table = table
        self.windows = windows
        self.kept = kept
        self.first: OrderedDict[str, list[str]] = OrderedDict()

    def get(self, key: str) -> list[str]:
        # A line in `first` is not in the table (reaching it removes the line from `first`),
        # so the map answers without a disk read.
        seen = self.first.get(key)
        if seen is not None:
            return list(seen)
        return list(self.windows.recent(stored_value(self.table, key), back=0) or [])

    def put(self, key: str, article_ids: list[str]) -> None:
        if len(article_ids) > 1:
            self.table[key] = self.windows.tag(article_ids)
            self.first.pop(key, None)
            return
        self.first[key] = article_ids
        self.first.move_to_end(key)
        while len(self.first) > self.kept:
            self.first.popitem(last=False)


def changelog_topics(app: AppT) -> list[NewTopic]:
    """The changelog topics of the app's tables, configured as Faust itself would create them.

    Created before Faust starts: when two workers start together, one of them otherwise
    may not see the topic the other created (its metadata predates it), and every table
    write fails there with `PartitionsMismatch` until that metadata is refreshed.
    """
    return [
        NewTopic(
            table.changelog_topic.get_topic_name(),
            table.changelog_topic.partitions or app.conf.topic_partitions,
            table.changelog_topic.replicas or app.conf.topic_replication_factor,
            topic_configs=topic_config(app, table.changelog_topic),
        )
        for table in app.tables.values()
    ]


def story_tables(app: faust.App, bands: int, matches: int, windows: Windows) -> tuple[Any, Any]:
    """The band index (partitioned like the band topic) and the pending entries (like the match topic)."""
    band_table = windowed_table(app, "story-bands", bands, windows, "Entry records of the band index.")
    pending = windowed_table(
        app, "story-pending", matches, windows, "Enriched entries waiting for their band answers."
    )
    return band_table, pending


class BandStore:
    """The story stage's band store: records in the `story-bands` table, key lists in a local index.

    Key lists are most of the writes (about 40 an entry, against one record per band
    partition), and in a table each would be a changelog message: the first version did
    that, and a worker spent its time flushing changelogs (commits of 13-23 s). The lists
    are derived data, since every record carries its keys: they live in a local RocksDB
    (no changelog, TTL of two windows) that is rebuilt from the records of the assigned
    partitions after every assignment (the table itself is restored from its changelog
    then; `overrides/committed.py`).
    """

    def __init__(self, table: Any, path: Path, ttl: float, key_cap: int) -> None:
        self.table = table
        self.path = path
        self.ttl = max(1, int(ttl))
        self.key_cap = key_cap
        self.keys: Rdict | None = None
        self.stale = True

    def invalidate(self) -> None:
        """Rebuild the key index before its next use (the assignment changed)."""
        self.stale = True

    def get(self, key: str) -> Any:
        if key.startswith("e:"):
            return stored_value(self.table, key)
        found = self._index().get(key.encode())
        return None if found is None else orjson.loads(found)

    def __setitem__(self, key: str, value: Any) -> None:
        if key.startswith("e:"):
            self.table[key] = value
        else:
            self._index()[key.encode()] = orjson.dumps(value)

    def _index(self) -> Rdict:
        if self.keys is None or self.stale:
            self.keys = self._rebuilt()
            self.stale = False
        return self.keys

    def _rebuilt(self) -> Rdict:
        """A fresh key index holding the keys of every record in the assigned partitions."""
        options = Options(raw_mode=True)
        options.create_if_missing(True)
        if self.keys is not None:
            self.keys.close()
        if self.path.exists():
            Rdict.destroy(str(self.path), options)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        index = Rdict(str(self.path), options, access_type=AccessType.with_ttl(self.ttl))
        lists: dict[str, list[list[Any]]] = {}
        for key, record in self.table.items():  # the active partitions' records
            if not key.startswith("e:") or len(record) < 8:
                continue
            entry_id, at = key[2:], record[0]
            bits = sketch(decode_signature(record[1]))
            for band in record[6]:
                lists.setdefault("b:" + band, []).append([entry_id, at, bits])
            for word in record[7]:  # name keys carry the vector (see streams.stories.matching)
                lists.setdefault("n:" + word, []).append([entry_id, at, vector_hex(record[2])])
        for name, held in lists.items():
            held.sort(key=lambda pair: (pair[1], pair[0]))
            index[name.encode()] = orjson.dumps(held[-self.key_cap :])
        log.info("story key index rebuilt", extra={"keys": len(lists)})
        return index


class TableStore:
    """A Faust table as a story store: reads and writes in the current event's partition.

    Faust's RocksDB store reads a key from the database of the event's partition, and a
    write goes to that partition's changelog; keys of one band partition stay together.
    """

    def __init__(self, table: Any) -> None:
        self.table = table

    def get(self, key: str) -> Any:
        return stored_value(self.table, key)

    def __setitem__(self, key: str, value: Any) -> None:
        self.table[key] = value

    def __delitem__(self, key: str) -> None:
        del self.table[key]
