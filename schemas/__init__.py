"""Pydantic models of every newsstream message: the single source of the wire format."""

from schemas.messages import (
    SCHEMA_VERSION,
    BandAnswer,
    BandProbe,
    BandSettle,
    DeadLetterHeaders,
    EnrichedEntry,
    Entry,
    EntryKind,
    Mention,
    PendingEntry,
    RawArticle,
    StoryCandidate,
    Tag,
    TagType,
)

__all__ = [
    "SCHEMA_VERSION",
    "BandAnswer",
    "BandProbe",
    "BandSettle",
    "DeadLetterHeaders",
    "EnrichedEntry",
    "Entry",
    "EntryKind",
    "Mention",
    "PendingEntry",
    "RawArticle",
    "StoryCandidate",
    "Tag",
    "TagType",
]
