"""The story agents' handlers: an entry waits for every band answer, in whatever order they come."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
from prometheus_client import CollectorRegistry

from schemas.messages import EnrichedEntry
from streams.codec import decode_band, decode_match
from streams.errors import NewsstreamError
from streams.metrics import Metrics
from streams.runtime.stories import StoryStages
from streams.settings import Settings
from streams.stories import Rule

TEXT = (
    "Engineers closed the Tamar Bridge on Wednesday after an inspection found a crack in a steel "
    "hanger, and traffic was diverted through Gunnislake for at least a week."
)


class Recorder:
    """What the handlers use of `Stages`, recording what they send and publish."""

    def __init__(self) -> None:
        self.metrics = Metrics.create(CollectorRegistry())
        self.settings = Settings()
        self.sent: list[tuple[str, bytes, int | None]] = []
        self.published: list[EnrichedEntry] = []
        self.letters: list[str] = []

    async def send(
        self, topic: Any, key: Any, value: bytes, headers: Any = None, partition: Any = None
    ) -> None:
        self.sent.append((topic, value, partition))

    async def publish_enriched(self, event: Any, out: EnrichedEntry, raw_ms: int | None) -> None:
        self.published.append(out)

    async def dead_letter(self, event: Any, stage: str, error: NewsstreamError) -> None:
        self.letters.append(error.reason)

    def done(self, event: Any, stage: str) -> None:
        pass

    def take(self, topic: str) -> list[tuple[bytes, int | None]]:
        out = [(value, partition) for t, value, partition in self.sent if t == topic]
        self.sent = [item for item in self.sent if item[0] != topic]
        return out


def _stories(partitions: int = 3) -> StoryStages:
    tables = SimpleNamespace(data=None)
    stories = StoryStages(
        "bands",
        "matches",
        tables,
        tables,
        Rule(),
        partitions,
        Path("unused"),  # type: ignore[arg-type]
    )
    stories.band_stores = [{} for _ in range(partitions)]  # type: ignore[attr-defined]
    stories.pending = {}  # type: ignore[assignment]
    return stories


def _event(value: bytes, partition: int = 0) -> Any:
    return SimpleNamespace(message=SimpleNamespace(value=value, partition=partition, topic="t", offset=0))


def _entry(entry_id: str, body: str) -> EnrichedEntry:
    return EnrichedEntry(
        entry_id=entry_id,
        article_id=entry_id.split(":")[0],
        source="s",
        position=0,
        kind="article",
        body=body,
        content_hash="h",
        enriched_at=datetime(2026, 3, 1, tzinfo=UTC),
        pipeline_version="test",
    )


async def _round_trip(
    stories: StoryStages, stages: Recorder, entry: EnrichedEntry, at: float, *, answers_first: bool
) -> None:
    await stories.submit(stages, _event(b""), entry, at, None)  # type: ignore[arg-type]
    pending, probes = stages.take("matches"), stages.take("bands")
    for value, partition in probes:
        assert partition is not None
        stories.band_store = stories.band_stores[partition]  # type: ignore[attr-defined]
        await stories.band_one(stages, _event(value, partition))  # type: ignore[arg-type]
    answers = stages.take("matches")
    order = answers + pending if answers_first else pending + answers
    for value, _ in order:
        await stories.match_one(stages, _event(value))  # type: ignore[arg-type]
    for value, partition in stages.take("bands"):  # the settles
        assert partition is not None
        stories.band_store = stories.band_stores[partition]  # type: ignore[attr-defined]
        await stories.band_one(stages, _event(value, partition))  # type: ignore[arg-type]


async def test_an_entry_is_published_once_every_probed_partition_has_answered() -> None:
    stories, stages = _stories(), Recorder()
    await _round_trip(stories, stages, _entry("a:1", TEXT), 100.0, answers_first=False)
    await _round_trip(stories, stages, _entry("b:1", "By Staff. " + TEXT), 160.0, answers_first=True)
    first, copy = stages.published
    assert first.duplicate_of is None and first.story_id
    assert (copy.duplicate_of, copy.story_id) == ("a:1", first.story_id)
    assert stories.pending == {}  # nothing left waiting
    marked = stages.metrics.registry.get_sample_value
    assert marked("newsstream_stories_marked_total", {"outcome": "copy"}) == 1.0
    assert marked("newsstream_stories_marked_total", {"outcome": "new"}) == 1.0


async def test_nothing_is_published_while_an_answer_is_missing() -> None:
    stories, stages = _stories(), Recorder()
    await stories.submit(stages, _event(b""), _entry("a:1", TEXT), 100.0, None)  # type: ignore[arg-type]
    pending, probes = stages.take("matches"), stages.take("bands")
    assert len(probes) >= 2
    await stories.match_one(stages, _event(pending[0][0]))  # type: ignore[arg-type]
    for value, partition in probes[:-1]:
        assert decode_band(value, max_bytes=10**6).kind == "probe"
        await stories.band_one(stages, _event(value, partition or 0))  # type: ignore[arg-type]
    for value, _ in stages.take("matches"):
        assert decode_match(value, max_bytes=10**6).kind == "answer"
        await stories.match_one(stages, _event(value))  # type: ignore[arg-type]
    assert stages.published == []


async def test_bad_internal_messages_are_dead_letters() -> None:
    stories, stages = _stories(), Recorder()
    await stories.band_one(stages, _event(b"not json"))  # type: ignore[arg-type]
    await stories.match_one(stages, _event(orjson.dumps({"kind": "answer"})))  # type: ignore[arg-type]
    assert stages.letters == ["invalid_json", "missing_field"]
