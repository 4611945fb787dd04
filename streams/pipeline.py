"""The whole pure pipeline, split then enrich, as the offline command and tests run it.

The agents call the same two stages (`split_article`, `enrich_entries`), so what
`newsstream process` prints is what the stream publishes.

Example:
    >>> from schemas import RawArticle
    >>> p = Pipeline.from_settings(Settings())
    >>> out = p.process(RawArticle(source="demo", content="Flood hits town\\nRain flooded Leeds on Monday."))
    >>> [(e.kind, e.headline) for e in out]
    [('article', 'Flood hits town')]
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.messages import EnrichedEntry, Entry, RawArticle
from streams.enrich import Tagger, enrich_entries, load_tagger
from streams.settings import Settings
from streams.split import SplitLimits, split_article


@dataclass(frozen=True)
class Pipeline:
    """Split and enrich with one configuration."""

    limits: SplitLimits
    tagger: Tagger
    max_tags: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        """The pipeline the settings describe (tagger loaded once here)."""
        return cls(
            limits=SplitLimits(settings.max_content_chars, settings.max_entries_per_article),
            tagger=load_tagger(settings.tagger),
            max_tags=settings.max_tags_per_entry,
        )

    def split(self, raw: RawArticle) -> list[Entry]:
        """The split stage."""
        return split_article(raw, self.limits)

    def enrich(self, entries: list[Entry]) -> list[EnrichedEntry]:
        """The enrich stage, for entries of one article."""
        return enrich_entries(entries, self.tagger, max_tags=self.max_tags)

    def process(self, raw: RawArticle) -> list[EnrichedEntry]:
        """Both stages."""
        entries = self.split(raw)
        return self.enrich(entries) if entries else []
