"""Pydantic models of every newsstream message: the single source of the wire format."""

from schemas.messages import (
    SCHEMA_VERSION,
    DeadLetterHeaders,
    EnrichedEntry,
    Entry,
    EntryKind,
    Mention,
    RawArticle,
    Tag,
    TagType,
)

__all__ = [
    "SCHEMA_VERSION",
    "DeadLetterHeaders",
    "EnrichedEntry",
    "Entry",
    "EntryKind",
    "Mention",
    "RawArticle",
    "Tag",
    "TagType",
]
