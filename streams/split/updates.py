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
