"""Stories across sources: near-duplicate copies and same-story entries (pure; see clusters.py).

Example:
    >>> from streams.stories import StoryIndex
    >>> len(StoryIndex())
    0
"""

from streams.stories.clusters import NAME_TAGS, STORY_KINDS, Item, StoryIndex, marked, with_mark
from streams.stories.matching import (
    Mark,
    Rule,
    answer,
    decide,
    needs_settling,
    partition_of,
    probes,
    settle,
    settlement,
    story_id_of,
)
from streams.stories.minhash import band_keys, signature, similarity

__all__ = [
    "NAME_TAGS",
    "STORY_KINDS",
    "Item",
    "Mark",
    "Rule",
    "StoryIndex",
    "answer",
    "band_keys",
    "decide",
    "marked",
    "needs_settling",
    "partition_of",
    "probes",
    "settle",
    "settlement",
    "signature",
    "similarity",
    "story_id_of",
    "with_mark",
]
