"""What the story agents do: send an entry round the band index, answer probes, publish when answered.

The round trip (the steps are pure, in `streams.stories.matching`):

1. The enrich agent, instead of publishing an entry of kind article or post, sends it to
   `news.stories.matches` (key: entry id) as a `PendingEntry`, and one `BandProbe` to each
   partition of `news.stories.bands` that holds any of its band keys or name words.
2. The bands agent answers each probe from its partition of the `story-bands` table and
   stores the entry there; the answer goes to `news.stories.matches` (key: entry id).
3. The matches agent keeps the pending entry and its answers in `story-pending`; when
   every probed partition has answered it decides the mark, publishes the entry with
   `story_id`, `duplicate_of` and `similarity`, and settles the mark on those partitions
   (copies and joining entries only: `needs_settling`).

Every key lives on one band partition whatever worker handles it, so the result does not
depend on which worker saw which copy. Bad messages on the internal topics are dead
letters of stage `enrich` (the story stage finishes enrichment), reason `stories_failed`
for a failure of the code.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from faust.types import EventT, TopicT

from schemas.messages import BandAnswer, BandSettle, EnrichedEntry, PendingEntry
from streams.codec import decode_band, decode_match, encode, peek_match
from streams.errors import DeadLetterError, ProcessingError
from streams.runtime.overrides.store import estimated_keys
from streams.runtime.tables import BandStore, TableStore
from streams.stories import (
    Item,
    Mark,
    Rule,
    answer,
    decide,
    needs_settling,
    probes,
    settle,
    settlement,
    story_id_of,
    with_mark,
)

if TYPE_CHECKING:
    from streams.runtime.handlers import Stages

log = logging.getLogger("newsstream.stories")

T = TypeVar("T")


@dataclass
class StoryStages:
    """The story stage's topics, tables and rule, on top of the worker's `Stages`."""

    bands: TopicT
    matches: TopicT
    band_table: Any
    pending_table: Any
    rule: Rule
    partitions: int  # of the bands topic
    keys_path: Path  # the local key index (see `BandStore`)
    band_store: BandStore = field(init=False)
    pending: TableStore = field(init=False)

    def __post_init__(self) -> None:
        self.band_store = BandStore(self.band_table, self.keys_path, 2 * self.rule.window, self.rule.key_cap)
        self.pending = TableStore(self.pending_table)

    async def submit(
        self, stages: Stages, event: EventT[bytes], entry: EnrichedEntry, at: float, raw_ms: int | None
    ) -> None:
        """Step 1: send the entry to wait for its answers, and its probes to the band index."""
        item = Item.of_entry(entry, datetime.fromtimestamp(at, UTC))
        sent = probes(entry.entry_id, at, item.signature, item.vector, item.names, self.partitions)
        if not sent:  # no words and no names: nothing to match, a story of its own
            await self._publish(stages, event, PendingEntry(entry=entry, partitions=[], raw_ms=raw_ms), [])
            return
        pending = PendingEntry(entry=entry, partitions=sorted(sent), raw_ms=raw_ms)
        await stages.send(self.matches, entry.entry_id.encode(), encode(pending))
        for partition, probe in sent.items():
            key = (probe.bands or probe.names)[0]
            await stages.send(self.bands, key.encode(), encode(probe), partition=partition)

    async def band_one(self, stages: Stages, event: EventT[bytes]) -> None:
        """Step 2 (bands agent): answer a probe, or settle a decided mark."""
        started = time.perf_counter()
        done, reply = await self._attempt(stages, event, "band lookup", self._answer)
        if not done:
            return
        if reply is not None:
            await stages.send(self.matches, reply.entry_id.encode(), encode(reply))
        stages.metrics.child(stages.metrics.stage_duration, "bands").observe(time.perf_counter() - started)
        stages.done(event, "bands")

    async def match_one(self, stages: Stages, event: EventT[bytes]) -> None:
        """Step 3 (matches agent): keep a pending entry or an answer; publish once all are in."""
        started = time.perf_counter()
        done, ready = await self._attempt(stages, event, "match", self._keep)
        if not done:
            return
        if ready is not None:
            await self._publish(stages, event, *ready)
        stages.metrics.child(stages.metrics.stage_duration, "matches").observe(time.perf_counter() - started)
        stages.done(event, "matches")

    async def _attempt(
        self, stages: Stages, event: EventT[bytes], what: str, step: Callable[[Any, int], T]
    ) -> tuple[bool, T | None]:
        """Run one step on the event's message; a failure becomes a dead letter and `(False, None)`."""
        msg = event.message
        try:
            return True, step(msg, stages.settings.max_message_bytes)
        except DeadLetterError as exc:
            await stages.dead_letter(event, "enrich", exc)
        except Exception as exc:  # a bug on one message must not stop the agent
            log.exception("%s failed topic=%s offset=%s", what, msg.topic, msg.offset)
            await stages.dead_letter(event, "enrich", ProcessingError("stories_failed", type(exc).__name__))
        return False, None

    def _answer(self, msg: Any, max_bytes: int) -> BandAnswer | None:
        """Answer a probe from this partition's band store, or settle a mark there (no answer)."""
        message = decode_band(msg.value, max_bytes=max_bytes)
        if isinstance(message, BandSettle):
            settle(self.band_store, message)
            return None
        return answer(self.band_store, message, msg.partition, self.rule)

    def _keep(self, msg: Any, max_bytes: int) -> tuple[PendingEntry, list[BandAnswer]] | None:
        """Store a pending entry or an answer as it came; both, validated, once the last one is in.

        Kept as the JSON text that came (validated when the entry is complete): an entry
        is written once and read once, without a model round trip in between.
        """
        value = msg.value
        kind, entry_id, partition, expected = peek_match(value, max_bytes=max_bytes)
        text = (value or b"").decode()
        if kind == "entry":
            self.pending["x:" + entry_id] = text
        else:
            answers = dict(self.pending.get("a:" + entry_id) or {})
            answers[str(partition)] = text
            self.pending["a:" + entry_id] = answers
            if len(answers) < expected:
                return None  # more answers to come: the entry itself is not read yet
        stored = self.pending.get("x:" + entry_id)
        if stored is None:
            return None  # its answers came first: the entry is on its way
        pending = decode_match(stored.encode(), max_bytes=max_bytes)
        answers = self.pending.get("a:" + entry_id) or {}
        if not isinstance(pending, PendingEntry) or any(str(p) not in answers for p in pending.partitions):
            return None
        found = [decode_match(answers[str(p)].encode(), max_bytes=max_bytes) for p in pending.partitions]
        # Both were just read: delete them without reading them again.
        del self.pending["x:" + entry_id]
        if answers:
            del self.pending["a:" + entry_id]
        return pending, [a for a in found if isinstance(a, BandAnswer)]

    async def _publish(
        self, stages: Stages, event: EventT[bytes], pending: PendingEntry, answers: list[BandAnswer]
    ) -> None:
        """Decide the entry's mark, publish it, and settle the mark on its band partitions."""
        entry = pending.entry
        mark = decide(entry.entry_id, answers, self.rule) if answers else Mark(story_id_of(entry.entry_id))
        marked = with_mark(entry, mark)
        await stages.publish_enriched(event, marked, pending.raw_ms)
        outcome = (
            "copy"
            if mark.duplicate_of
            else "new"
            if mark.story_id == story_id_of(entry.entry_id)
            else "joined"
        )
        stages.metrics.child(stages.metrics.stories_marked, outcome).inc()
        stages.metrics.story_wait.observe(max(0.0, time.time() - entry.enriched_at.timestamp()))
        if not needs_settling(entry.entry_id, mark):
            return
        settled = encode(settlement(entry.entry_id, mark))
        for partition in pending.partitions:
            await stages.send(self.bands, entry.entry_id.encode(), settled, partition=partition)

    def report_size(self, stages: Stages) -> None:
        """Set the index size gauges (RocksDB's estimate of keys in active partitions)."""
        for name, table in (("story-bands", self.band_table), ("story-pending", self.pending_table)):
            stages.metrics.story_index_keys.labels(name).set(estimated_keys(table))
