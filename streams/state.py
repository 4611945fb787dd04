"""Worker state in Faust tables, backed by changelog topics so restarts resume it.

- `article-state`: article id -> {entry id: [content hash, revision]} (live updates).
- `boilerplate-lines`: source + line fingerprint -> article ids, in daily tumbling
  windows that expire after two days, so the counts stay bounded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import faust

from streams.split.learnt import LineStore

LINE_WINDOW = timedelta(days=1)
LINE_EXPIRES = timedelta(days=2)


def article_state_table(app: faust.App, partitions: int) -> Any:
    """Per-article entry hashes and revisions (a Faust Table, a MutableMapping)."""
    return app.Table(
        "article-state",
        default=None,
        partitions=partitions,
        key_type=str,  # Faust picks the JSON codec for str keys and untyped values
        help="Entry hashes and revisions of each article seen, for live updates.",
    )


def line_table(app: faust.App, partitions: int) -> Any:
    """Windowed line counts per source (a Faust windowed table)."""
    return app.Table(
        "boilerplate-lines",
        default=list,
        partitions=partitions,
        key_type=str,  # Faust picks the JSON codec for str keys and untyped values
        help="Article ids that contained each line, per source.",
    ).tumbling(LINE_WINDOW, expires=LINE_EXPIRES)


class TableLineStore(LineStore):
    """Line counts in a windowed Faust table; used inside the split agent's event context."""

    def __init__(self, table: Any, threshold: int) -> None:
        super().__init__(threshold)
        self.table = table

    def get(self, key: str) -> list[str]:
        return list(self.table[key].current() or [])

    def put(self, key: str, article_ids: list[str]) -> None:
        self.table[key] = article_ids
