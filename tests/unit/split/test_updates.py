"""Live-update state: new, changed, unchanged entries, and replays after a crash."""

from __future__ import annotations

from schemas import Entry
from streams.split.updates import SOURCE_KEY, diff, is_replay, pack, unpack


def _e(eid: str, text: str) -> Entry:
    return Entry(
        entry_id=eid, article_id="a", source="s", position=0, kind="post", body=text, content_hash=f"h-{text}"
    )


def test_new_changed_and_unchanged_entries() -> None:
    first, state = diff([_e("1", "a"), _e("2", "b")], None)
    assert [e.revision for e in first] == [1, 1]
    again, state = diff([_e("1", "a"), _e("2", "b2"), _e("3", "c")], state)
    assert [(e.entry_id, e.revision) for e in again] == [("2", 2), ("3", 1)]
    assert diff([_e("1", "a")], state)[0] == []


def test_a_replayed_record_publishes_everything_with_its_revisions() -> None:
    _, state = diff([_e("1", "a")], None)
    _, state = diff([_e("1", "a2")], state)
    state[SOURCE_KEY] = ["raw", 0, 41]
    assert (
        is_replay(state, ["raw", 0, 41]) and not is_replay(state, ["raw", 0, 42]) and not is_replay(None, [])
    )
    publish, _ = diff([_e("1", "a2")], state, republish=True)
    assert [(e.entry_id, e.revision) for e in publish] == [("1", 2)]


def test_a_packed_state_unpacks_to_the_same_state() -> None:
    _, state = diff([_e("a:1", "x"), _e("a:2", "y"), _e("other:9", "z")], None)
    state[SOURCE_KEY] = ["raw", 3, 17]
    packed = pack("a", state)
    assert isinstance(packed, str) and "a:1" not in packed  # the key holds the article id
    assert unpack("a", packed) == state
    without_source = {k: v for k, v in state.items() if k != SOURCE_KEY}
    assert unpack("a", pack("a", without_source)) == without_source


def test_unpack_takes_nothing_stored_as_none() -> None:
    assert unpack("a", "") is None and unpack("a", None) is None
