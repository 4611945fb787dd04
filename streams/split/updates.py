"""Live updates: which entries of a re-sent article are new or changed.

State per article is `{entry_id: [content_hash, revision]}`: plain data, kept in a
Faust table (changelog-backed) in the stream and in a dict offline.

Example:
    >>> from schemas import Entry
    >>> e = Entry(entry_id="a:1", article_id="a", source="s", position=0, kind="post",
    ...           body="First.", content_hash="h1")
    >>> publish, state = diff([e], {})
    >>> [p.revision for p in publish], state
    ([1], {'a:1': ['h1', 1]})
    >>> diff([e], state)[0]
    []
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from schemas.messages import Entry

ArticleState = dict[str, list[str | int]]


#: State key naming the input record (topic, partition, offset) that last changed the state.
SOURCE_KEY = "@source"


def is_replay(previous: ArticleState | None, source: list[str | int]) -> bool:
    """Whether `source` is the record that wrote `previous`: a replay after a crash.

    The state may have reached its changelog while the entries of that record did not,
    so a replay publishes every entry again (a duplicate is safe, a loss is not).
    """
    return previous is not None and previous.get(SOURCE_KEY) == source


def diff(
    entries: Sequence[Entry], previous: ArticleState | None, *, republish: bool = False
) -> tuple[list[Entry], ArticleState]:
    """Entries to publish (new, or changed with revision + 1) and the article's new state.

    With `republish`, unchanged entries are published again too, with their revision.
    """
    state: ArticleState = dict(previous or {})
    publish: list[Entry] = []
    for entry in entries:
        old = state.get(entry.entry_id)
        if old is not None and republish and old[0] == entry.content_hash:
            publish.append(entry.model_copy(update={"revision": int(old[1])}))
        elif old is None:
            publish.append(entry)
            state[entry.entry_id] = [entry.content_hash, entry.revision]
        elif old[0] != entry.content_hash:
            revision = int(old[1]) + 1
            publish.append(entry.model_copy(update={"revision": revision}))
            state[entry.entry_id] = [entry.content_hash, revision]
    return publish, state


def pack(article_id: str, state: ArticleState) -> str:
    """One compact string for a stored state (a fifth of the dict's memory).

    Entry ids lose their `article_id:` prefix, which the key already holds: a worker keeps
    every article of two windows, so its state is most of what the tables hold.

    Example:
        >>> pack("a", {"a:1f": ["h1", 2], SOURCE_KEY: ["raw", 0, 7]})
        '[["raw",0,7],[["1f","h1",2]]]'
        >>> unpack("a", pack("a", {"a:1f": ["h1", 2], "b:x": ["h2", 1]}))
        {'a:1f': ['h1', 2], 'b:x': ['h2', 1]}
    """
    prefix = f"{article_id}:"
    cut = len(prefix)
    entries: list[list[str | int]] = [
        # An id from elsewhere (not `article_id:…`) is kept whole, flagged by a fourth item.
        [key[cut:], *value] if key.startswith(prefix) else [key, *value, 0]
        for key, value in state.items()
        if key != SOURCE_KEY
    ]
    return orjson.dumps([state.get(SOURCE_KEY), entries]).decode()


def unpack(article_id: str, stored: str | None) -> ArticleState | None:
    """The state `pack` stored (None for nothing stored)."""
    if not stored:
        return None
    source, entries = orjson.loads(stored)
    prefix = f"{article_id}:"
    state: ArticleState = {
        (str(item[0]) if len(item) == 4 else prefix + str(item[0])): [item[1], item[2]] for item in entries
    }
    if source is not None:
        state[SOURCE_KEY] = source
    return state
