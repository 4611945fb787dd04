"""A story index: copies point at the first version, one event shares a story, the window forgets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streams.stories import Item, StoryIndex

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
PORT = (
    "Storm Ida closed the Port of Dover on Monday as gusts reached 90 mph along the Kent coast. "
    "P&O Ferries cancelled every crossing to Calais until the evening, and Kent Police asked "
    "lorry drivers to stay off the A20 while Operation Brock was put in place."
)
PORT_OTHER_WORDS = (
    "Every sailing between Dover and Calais was called off after Storm Ida brought winds of up to "
    "90mph to Kent. Queues of lorries built up on the approach roads and police activated "
    "Operation Brock on the motorway."
)
RATES = (
    "The Bank of England kept its main interest rate at 4.5% on Thursday, with the committee "
    "voting seven to two. Governor Andrew Bailey said inflation was falling but prices of "
    "services remained sticky, and sterling rose against the dollar after the decision."
)
PORT_NAMES = ["Storm Ida", "Dover", "Kent", "Calais", "P&O Ferries"]


def test_a_copy_points_at_the_first_version_and_joins_its_story() -> None:
    index = StoryIndex()
    first = index.add(Item.of("a:1", AT, PORT, PORT_NAMES))
    copy = index.add(
        Item.of("b:1", AT + timedelta(minutes=5), "By Staff\n" + PORT + "\nAll rights reserved.", PORT_NAMES)
    )
    copy_of_copy = index.add(Item.of("c:1", AT + timedelta(minutes=9), PORT + "\nSign up now.", PORT_NAMES))
    assert first.duplicate_of is None
    assert (copy.duplicate_of, copy.story_id) == ("a:1", first.story_id)
    assert copy.similarity is not None and copy.similarity > 0.6
    assert copy_of_copy.duplicate_of == "a:1"  # the original, not the copy it is closest to


def test_the_same_event_in_other_words_shares_the_story_but_is_no_copy() -> None:
    index = StoryIndex()
    first = index.add(Item.of("a:1", AT, PORT, PORT_NAMES))
    other = index.add(
        Item.of("b:1", AT + timedelta(hours=1), PORT_OTHER_WORDS, ["Dover", "Calais", "Kent", "Ida"])
    )
    assert other.duplicate_of is None
    assert other.story_id == first.story_id


def test_another_event_opens_a_story_of_its_own() -> None:
    index = StoryIndex()
    first = index.add(Item.of("a:1", AT, PORT, PORT_NAMES))
    rates = index.add(Item.of("b:1", AT, RATES, ["Bank of England", "Andrew Bailey"]))
    assert rates.story_id != first.story_id and rates.duplicate_of is None


def test_entries_older_than_the_window_are_forgotten() -> None:
    index = StoryIndex(window=timedelta(hours=48))
    first = index.add(Item.of("a:1", AT, PORT, PORT_NAMES))
    later = index.add(Item.of("b:1", AT + timedelta(hours=49), PORT, PORT_NAMES))
    assert len(index) == 1
    assert later.duplicate_of is None and later.story_id != first.story_id
    assert all("e:a:1" not in store for store in index.stores)
