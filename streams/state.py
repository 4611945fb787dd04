"""Worker state in Faust tables, backed by changelog topics so restarts resume it.

Both tables are windowed (NEWSSTREAM_STATE_WINDOW_HOURS, one day by default; windows
expire after two), so memory and the changelogs are bounded by how much arrives in
that time, not by how long a worker runs:

- `recent-articles`: article id -> its entries' content hashes and revisions (live
  updates), packed into one string (`streams.split.updates.pack`): an article is
  remembered for one to two windows after its last change.
- `boilerplate-lines`: source + line fingerprint -> article ids. A line seen once is
  only remembered in memory (see `TableLineStore`).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import timedelta
from typing import Any, Protocol

import faust

from streams.split.learnt import LineStore
from streams.split.updates import ArticleState, pack, unpack

#: Lines seen once that a worker remembers in memory (about 230 bytes each: 12 MB at most).
FIRST_SIGHTINGS_KEPT = 50_000


def article_state_table(app: faust.App, partitions: int, window: timedelta) -> Any:
    """Per-article entry hashes and revisions (a windowed Faust table)."""
    return app.Table(
        # Not the unwindowed `article-state` of earlier versions: its changelog holds plain keys.
        "recent-articles",
        default=dict,
        partitions=partitions,
        key_type=str,  # Faust picks the JSON codec for str keys and untyped values
        help="Entry hashes and revisions of each article seen, for live updates.",
    ).tumbling(window, expires=2 * window)


class ArticleStates(Protocol):
    """Where the split agent reads and writes article states (a dict in tests)."""

    def get(self, key: str) -> ArticleState | None: ...

    def __setitem__(self, key: str, value: ArticleState) -> None: ...


class RecentArticleStates:
    """Article states in the windowed table: this window's, else the previous window's.

    Used inside the split agent's event context (windows follow the raw record's time).
    A live blog updated after two silent windows is new again: its entries are published
    once more, with the same entry ids.
    """

    def __init__(self, table: Any, window: timedelta) -> None:
        self.table = table
        self.window = window

    def get(self, key: str) -> ArticleState | None:
        windows = self.table[key]
        return unpack(key, windows.current() or windows.delta(self.window))

    def __setitem__(self, key: str, value: ArticleState) -> None:
        self.table[key] = pack(key, value)


def line_table(app: faust.App, partitions: int, window: timedelta) -> Any:
    """Windowed line counts per source (a Faust windowed table)."""
    return app.Table(
        "boilerplate-lines",
        default=list,
        partitions=partitions,
        key_type=str,  # Faust picks the JSON codec for str keys and untyped values
        help="Article ids that contained each line, per source.",
    ).tumbling(window, expires=2 * window)


class TableLineStore(LineStore):
    """Line counts in a windowed Faust table; used inside the split agent's event context.

    Most lines of an article (its own paragraphs) are never seen again, and every table
    write is a changelog message: counting each of them cost 14 changelog messages per
    article, more than its entries. So a first sighting stays in a bounded in-memory map
    and a line reaches the table at its second article. The price: after a restart or a
    rebalance, a line seen once before must be seen twice more, not once, to count twice.
    """

    def __init__(self, table: Any, threshold: int, kept: int = FIRST_SIGHTINGS_KEPT) -> None:
        super().__init__(threshold)
        self.table = table
        self.kept = kept
        self.first: OrderedDict[str, list[str]] = OrderedDict()

    def get(self, key: str) -> list[str]:
        return list(self.table[key].current() or self.first.get(key, []))

    def put(self, key: str, article_ids: list[str]) -> None:
        if len(article_ids) > 1:
            self.table[key] = article_ids
            self.first.pop(key, None)
            return
        self.first[key] = article_ids
        self.first.move_to_end(key)
        while len(self.first) > self.kept:
            self.first.popitem(last=False)
