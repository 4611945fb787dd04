"""Message models for every newsstream topic (the contract: docs/messages.md).

Example:
    >>> raw = RawArticle(source="example", content="Title\\nBody text.")
    >>> raw.content_type
    'text/plain'
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

#: Version of the wire format. Within major version 1 changes are additive only (new optional
#: fields); consumers should accept any 1.x and ignore fields they do not know.
SCHEMA_VERSION = "1.3"
_VERSION_FIELD = Field(
    SCHEMA_VERSION,
    pattern=r"^1\.\d+$",
    description="Wire format version: major.minor; consumers accept any 1.x.",
)

EntryKind = Literal["post", "summary", "related", "article"]
TagType = Literal["person", "organization", "place", "topic", "keyword"]
ContentType = Literal["text/plain", "text/html"]


class RawArticle(BaseModel):
    """A scraped article as producers publish it on `news.articles.raw`."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    schema_version: str = _VERSION_FIELD
    source: str = Field(min_length=1, description="Publisher or feed the article came from.")
    content: str = Field(min_length=1, description="Page text (one paragraph per line) or HTML.")
    content_type: ContentType = Field("text/plain", description="How to read `content`.")
    article_id: str | None = Field(
        None, description="Stable id; derived from `url`, else from the content, when missing."
    )
    url: str | None = None
    title: str | None = None
    language: str | None = Field(None, description="BCP 47 language tag, e.g. `en`.")
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class Entry(BaseModel):
    """One live-blog post, summary box, teaser card or whole article (`news.entries`)."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = _VERSION_FIELD
    entry_id: str = Field(description="Stable: the same entry of the same article keeps its id.")
    article_id: str
    source: str
    url: str | None = None
    article_title: str | None = None
    position: int = Field(ge=0, description="0-based order of the entry in the article.")
    kind: EntryKind
    headline: str | None = None
    body: str
    time_label: str | None = Field(None, description="The timestamp text as published.")
    published_at: datetime | None = None
    revision: int = Field(1, ge=1, description="1 when first published, +1 per changed text.")
    content_hash: str = Field(description="Hash of headline and body; changes when text changes.")


class Mention(BaseModel):
    """Where a tag's name occurs: character offsets into the entry's headline or body."""

    model_config = ConfigDict(extra="forbid")

    field: Literal["headline", "body"]
    start: int = Field(ge=0, description="Offset of the first character (Python string index).")
    end: int = Field(ge=0, description="Offset after the last character: `field[start:end] == text`.")
    text: str = Field(description="The mention as written.")


class Tag(BaseModel):
    """A person, organisation, place, IPTC topic or keyword found in an entry."""

    model_config = ConfigDict(extra="forbid")

    type: TagType
    name: str = Field(description="Canonical name (full name, official short name).")
    id: str | None = Field(
        None, description="Stable id where one exists: `medtop:…`, `iso3166:FR`, `geonames:…`."
    )
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code, for places.")
    lat: float | None = None
    lon: float | None = None
    count: int = Field(1, ge=1, description="Mentions in the entry.")
    score: float | None = Field(
        None, description="Topics: probability (0-1, comparable across entries); keywords: salience."
    )
    parent: str | None = Field(
        None,
        description="Since 1.2: for a second-level IPTC topic, the `medtop:` id of its top level.",
    )
    mentions: list[Mention] | None = Field(
        None, description="Since 1.1: where a person, organisation or place is named in the entry."
    )


class EnrichedEntry(Entry):
    """An entry with its tags (`news.entries.enriched` and routed topics)."""

    tags: list[Tag] = Field(default_factory=list)
    language: str | None = None
    enriched_at: datetime
    pipeline_version: str
    story_id: str | None = Field(
        None,
        description="Since 1.3: stable id of the story (cluster of copies and same-event entries) "
        "the entry joined; null for summaries and teasers, or with stories turned off.",
    )
    duplicate_of: str | None = Field(
        None, description="Since 1.3: `entry_id` of the first near-identical entry seen, or null."
    )
    similarity: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Since 1.3: estimated word-shingle Jaccard similarity to `duplicate_of`.",
    )


class DeadLetterHeaders(BaseModel):
    """Headers of a `news.deadletter` record; key and value are the original bytes."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = _VERSION_FIELD
    original_topic: str
    original_partition: int
    original_offset: int
    stage: Literal["split", "enrich"]
    error_class: str = Field(description="Exception class name, e.g. `DecodeError`.")
    reason: str = Field(description="Short reason code, e.g. `invalid_json`.")


# Internal topics of the story stage (`streams.stories.matching` says what each step does).


class StoryCandidate(BaseModel):
    """An earlier entry a band partition found for a probe, with what it knows of its story."""

    model_config = ConfigDict(extra="forbid")

    entry_id: str
    at: float = Field(description="Record time of the candidate (seconds since the epoch).")
    score: float = Field(description="Copies: estimated Jaccard similarity; names: text cosine.")
    shared: int = Field(0, ge=0, description="Names: name words shared on this partition.")
    story_id: str | None = Field(None, description="Null while the candidate is being decided.")
    duplicate_of: str | None = None
    similarity: float | None = None


class BandProbe(BaseModel):
    """One entry's evidence for one partition of the band index (`news.stories.bands`)."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = _VERSION_FIELD
    kind: Literal["probe"] = "probe"
    entry_id: str
    at: float = Field(description="Record time of the entry's article (seconds since the epoch).")
    signature: str = Field(description="MinHash signature: base64 of little-endian uint64s.")
    vector: str = Field(description="Unit text vector: base64 of int8 codes (x 127).")
    bands: list[str] = Field(description="The entry's LSH band keys held by this partition.")
    names: list[str] = Field(description="The entry's name words held by this partition.")
    expected: int = Field(ge=1, description="Probes the entry sent in all (answers to wait for).")


class BandSettle(BaseModel):
    """An entry's decided mark, written back to a band partition (`news.stories.bands`)."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = _VERSION_FIELD
    kind: Literal["settle"] = "settle"
    entry_id: str
    story_id: str
    duplicate_of: str | None = None
    similarity: float | None = None


class BandAnswer(BaseModel):
    """What one band partition found for a probe (`news.stories.matches`, key: entry id)."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = _VERSION_FIELD
    kind: Literal["answer"] = "answer"
    entry_id: str
    partition: int = Field(ge=0)
    expected: int = Field(ge=1)
    copies: list[StoryCandidate] = Field(default_factory=list)
    names: list[StoryCandidate] = Field(default_factory=list)
    own: StoryCandidate | None = Field(None, description="The entry's own mark, when already decided.")


class PendingEntry(BaseModel):
    """An enriched entry waiting for its band answers (`news.stories.matches`, key: entry id)."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = _VERSION_FIELD
    kind: Literal["entry"] = "entry"
    entry: EnrichedEntry
    partitions: list[int] = Field(description="Band partitions probed (their answers are awaited).")
    raw_ms: int | None = Field(None, description="Publish time of the raw article (ms), for latency.")


class BandMessage(RootModel[Annotated[BandProbe | BandSettle, Field(discriminator="kind")]]):
    """A `news.stories.bands` value: a probe or a settle."""


class MatchMessage(RootModel[Annotated[BandAnswer | PendingEntry, Field(discriminator="kind")]]):
    """A `news.stories.matches` value: an answer or a pending entry."""
