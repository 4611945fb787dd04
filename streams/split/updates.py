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


def diff(entries: Sequence[Entry], previous: ArticleState | None) -> tuple[list[Entry], ArticleState]:
    """Entries to publish (new, or changed with revision + 1) and the article's new state."""
    state: ArticleState = dict(previous or {})
    publish: list[Entry] = []
    for entry in entries:
        old = state.get(entry.entry_id)
        if old is None:
            publish.append(entry)
            state[entry.entry_id] = [entry.content_hash, entry.revision]
        elif old[0] != entry.content_hash:
            revision = int(old[1]) + 1
            publish.append(entry.model_copy(update={"revision": revision}))
            state[entry.entry_id] = [entry.content_hash, revision]
    return publish, state
