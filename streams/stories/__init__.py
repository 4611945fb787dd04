"""Stories across sources: near-duplicate copies and same-story entries (pure; see clusters.py).

Example:
    >>> from streams.stories import StoryIndex
    >>> len(StoryIndex())
    0
"""

from streams.stories.clusters import Item, Mark, StoryIndex
from streams.stories.minhash import band_keys, signature, similarity

__all__ = ["Item", "Mark", "StoryIndex", "band_keys", "signature", "similarity"]
