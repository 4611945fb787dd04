"""Pydantic models of every newsstream message: the single source of the wire format."""

from schemas.messages import (
    DeadLetterHeaders,
    EnrichedEntry,
    Entry,
    EntryKind,
    RawArticle,
    Tag,
    TagType,
)

__all__ = [
    "DeadLetterHeaders",
    "EnrichedEntry",
    "Entry",
    "EntryKind",
    "RawArticle",
    "Tag",
    "TagType",
]
