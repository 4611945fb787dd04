"""Stories across workers: copies on other partitions find their original through the band index."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from schemas import EnrichedEntry, RawArticle
from streams.codec import encode
from streams.dev.broker import DevBroker
from tests.integration.conftest import consume, isolated_env, worker_running

pytestmark = pytest.mark.integration

PARTITIONS = 4

# Three unrelated events of one day, written for this test.
EVENTS = {
    "bridge": (
        "Engineers closed the Tamar Bridge on Wednesday after a routine inspection found a crack "
        "in one of the steel hangers. Cornwall Council said traffic would be diverted through "
        "Gunnislake for at least a week, and buses to Plymouth would run every thirty minutes. "
        "The bridge carries about forty thousand vehicles a day and was last strengthened in 2001."
    ),
    "orchestra": (
        "The Hallé orchestra announced a tour of Japan and South Korea next spring, its first in "
        "Asia for twelve years. Conductor Kahchun Wong will lead eleven concerts in Tokyo, Osaka "
        "and Seoul, with a new piano concerto written for the soloist Benjamin Grosvenor. Tickets "
        "go on sale in October, the orchestra said on Tuesday evening."
    ),
    "harvest": (
        "Farmers in Lincolnshire warned that the wettest autumn in fifty years had left a third of "
        "the potato crop in the ground. The National Farmers Union asked the government for "
        "emergency support, saying growers faced losses of two hundred million pounds, while "
        "supermarkets said shoppers would see higher prices for chips and crisps by the new year."
    ),
}


def _article(event: str, outlet: str, partition: int, edit: str = "") -> tuple[RawArticle, int]:
    """One outlet's page of an event: a byline, the story (edited), a sign-off."""
    title = {"bridge": "Tamar Bridge shut", "orchestra": "Hallé to tour Asia", "harvest": "Potato crop stuck"}
    content = f"{title[event]}\nBy {outlet.title()} Staff\n{EVENTS[event]}{edit}\n© {outlet} news"
    raw = RawArticle(
        source=outlet, content=content, article_id=f"{outlet}-{event}", url=f"https://{outlet}.test/{event}"
    )
    return raw, partition


async def _publish(producer: AIOKafkaProducer, topic: str, pages: list[tuple[RawArticle, int]]) -> None:
    for raw, partition in pages:
        key = (raw.article_id or "").encode()
        await producer.send_and_wait(topic, encode(raw), key=key, partition=partition)


def _count(metrics: str, sample: str) -> float:
    """The value of one sample in Prometheus text (0 when absent)."""
    for line in metrics.splitlines():
        if line.startswith(sample + " "):
            return float(line.split()[-1])
    return 0.0


def _entries(records: list) -> dict[str, EnrichedEntry]:
    out = (EnrichedEntry.model_validate(orjson.loads(r.value)) for r in records)
    return {e.article_id: e for e in out}


async def test_copies_on_other_workers_join_the_original_and_survive_a_restart(
    broker: DevBroker, producer: AIOKafkaProducer, tmp_path: Path
) -> None:
    env = isolated_env(
        broker.bootstrap,
        partitions=PARTITIONS,
        NEWSSTREAM_TAGGER="fast",
        NEWSSTREAM_STORIES="true",
        NEWSSTREAM_STORY_PARTITIONS=str(PARTITIONS),
    )
    second = {**env, "NEWSSTREAM_WEB_PORT": str(int(env["NEWSSTREAM_WEB_PORT"]) + 1)}
    topic, out = env["NEWSSTREAM_TOPIC_RAW"], env["NEWSSTREAM_TOPIC_ENRICHED"]
    originals = [_article(event, "wire", i) for i, event in enumerate(EVENTS)]
    copies = [
        _article("bridge", "gazette", 3, " Local MP Anna Penrose called the closure a disaster."),
        _article("orchestra", "courier", 3),
        _article("harvest", "herald", 0, " Prices of frozen chips have already risen."),
    ]
    with (
        worker_running(env, tmp_path / "w1.log") as one,
        worker_running(second, tmp_path / "w2.log") as two,
    ):
        await _publish(producer, topic, originals)
        first = _entries(await consume(broker.bootstrap, out, 3))
        await _publish(producer, topic, copies)
        marked = _entries(await consume(broker.bootstrap, out, 6))
        both = [w.get("/metrics")[1] for w in (one, two)]
    assert len(first) == 3 and len(marked) == 6
    stories = {first[f"wire-{event}"].story_id for event in EVENTS}
    assert len(stories) == 3 and None not in stories  # three events, three stories
    assert all(first[f"wire-{event}"].duplicate_of is None for event in EVENTS)
    for raw, _ in copies:
        event = (raw.article_id or "").split("-", 1)[1]
        original = first[f"wire-{event}"]
        copy = marked[raw.article_id or ""]
        assert copy.duplicate_of == original.entry_id, raw.article_id
        assert copy.story_id == original.story_id
        assert copy.similarity is not None and copy.similarity >= 0.4
    # Both workers answered probes: the band partitions were spread over them.
    assert all(_count(text, 'newsstream_stage_duration_seconds_count{stage="bands"}') > 0 for text in both)

    # A new worker with empty state restores the band index from its changelog.
    later = _article("bridge", "echo", 1, " Diversions added forty minutes to journeys.")
    fresh = {**env, "NEWSSTREAM_STATE_DIR": str(tmp_path / "fresh-state")}
    with worker_running(fresh, tmp_path / "w3.log"):
        await _publish(producer, topic, [later])
        after = _entries(await consume(broker.bootstrap, out, 7))
    echo = after["echo-bridge"]
    assert echo.duplicate_of == first["wire-bridge"].entry_id
    assert echo.story_id == first["wire-bridge"].story_id
