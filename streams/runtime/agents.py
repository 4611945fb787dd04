"""The worker's agents and timers: loops over the input streams that hand each event to `Stages`.

`register_agents` adds them to a Faust app: the split agent reads raw articles, the
enrich agent reads entries, the bands and matches agents run the story round trip
(`streams.runtime.stories`), and a timer reports consumer lag and the story index size.
Each event's work runs to its end even when the agent is cancelled meanwhile
(`finish_on_cancel`).

Example:
    >>> from prometheus_client import CollectorRegistry
    >>> from streams.runtime.app import build
    >>> from streams.settings import Settings
    >>> worker = build(Settings(), CollectorRegistry())
    >>> sorted(agent.name for agent in worker.app.agents.values())
    ['enrich', 'split']
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from typing import Any

import faust
from faust.types import StreamT

from streams.runtime.handlers import Stages, Topics
from streams.runtime.overrides.delivery import finish, start_eagerly
from streams.runtime.web import Readiness

log = logging.getLogger("newsstream.agents")

#: Seconds between consumer lag reports.
LAG_INTERVAL = 5.0


def register_agents(app: faust.App, topics: Topics, stages: Stages, readiness: Readiness) -> None:
    """Add the split and enrich agents, the assignment and start hooks and the lag timer."""
    metrics = stages.metrics

    @app.agent(topics.raw, name="split")
    async def split(stream: StreamT[bytes]) -> None:
        async for event in stream.events():
            await finish_on_cancel(stages.split_one(event))

    @app.agent(topics.entries, name="enrich")
    async def enrich(stream: StreamT[bytes]) -> None:
        # One event at a time: Faust's take_events acks buffered, unprocessed events when a
        # worker stops, and their offsets get committed (entries lost; found by the SIGTERM
        # test). Names still resolve across an article's entries through Stages' contexts.
        async for event in stream.events():
            await finish_on_cancel(stages.enrich_batch([event]))

    stories = stages.stories
    if stories is not None and topics.bands is not None and topics.matches is not None:

        @app.agent(topics.bands, name="bands")
        async def bands(stream: StreamT[bytes]) -> None:
            async for event in stream.events():
                await finish_on_cancel(stages.one(event, stories.band_one(stages, event)))

        @app.agent(topics.matches, name="matches")
        async def matches(stream: StreamT[bytes]) -> None:
            async for event in stream.events():
                await finish_on_cancel(stages.one(event, stories.match_one(stages, event)))

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]  # faust stub rejects async receivers
    async def on_assigned(sender: Any, *args: Any, signal: Any = None, **kwargs: Any) -> None:
        metrics.rebalances.inc()
        readiness.assigned = True
        if stories is not None:
            stories.band_store.invalidate()  # its key index follows the assigned records
        log.info("partitions assigned: %s", args[0] if args else kwargs.get("assigned"))

    @app.task  # type: ignore[untyped-decorator]  # faust's task decorator has no types
    async def on_started() -> None:
        readiness.started = True
        # "Stalled since start" must be visible too: the clock starts when the worker does.
        for stage in ("split", "enrich", *(("bands", "matches") if stories is not None else ())):
            metrics.last_processed.labels(stage).set(time.time())

    @app.timer(LAG_INTERVAL)  # type: ignore[untyped-decorator]  # faust's timer has no types
    async def report_lag() -> None:
        await update_lag(app, stages)
        if stories is not None:
            stories.report_size(stages)


class LoopTurns:
    """Gives the event loop a turn at most every `interval` seconds of unbroken agent work.

    Work that never suspends runs without yielding: an agent with a full stream buffer
    would otherwise hold the loop until the buffer is empty (1,500 events, a second or
    more), and the producer's sender, Faust's commit timer and the web server would wait.
    A yield per event costs a loop iteration each; one every few milliseconds costs
    nothing measurable.

    Example:
        >>> turns = LoopTurns(interval=60.0)
        >>> asyncio.run(turns.maybe_yield())  # the first call yields; later ones wait 60 s
    """

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.last = 0.0

    async def maybe_yield(self) -> None:
        """Yield to the loop once if `interval` has passed since the last turn."""
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            await asyncio.sleep(0)


#: Shared by both agents: they run on one loop, and either holding it delays the other.
LOOP_TURNS = LoopTurns()


async def finish_on_cancel(work: Coroutine[Any, Any, None]) -> None:
    """Run one unit of work to its end even when the agent is cancelled meanwhile.

    At shutdown Faust cancels agents and acks the events in hand (a `take_events` batch
    in its `finally`), and their offsets are then committed: work cut short there would be
    lost. Finishing it first keeps at-least-once; a unit takes well under a second.
    Work that never suspends cannot be cut short, so it runs at once without a task.
    """
    started = start_eagerly(work)
    if started.done:
        await LOOP_TURNS.maybe_yield()
        return
    task = asyncio.ensure_future(finish(started))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await task
        raise


async def update_lag(app: faust.App, stages: Stages) -> None:
    """Set the lag gauge of every assigned partition: end offset minus what was processed.

    Before a partition's first message is processed, the consumer's fetch position
    stands in for the processed position.
    """
    gauge = stages.metrics.consumer_lag
    for tp in app.consumer.assignment():
        if tp.topic not in stages.input_topics:
            continue  # table changelogs and the leader topic are Faust's own
        highwater = app.consumer.highwater(tp)
        position = stages.positions.get((tp.topic, tp.partition))
        if position is None:
            position = await app.consumer.position(tp)
        if highwater is None or position is None:
            continue
        gauge.labels(tp.topic, str(tp.partition)).set(max(0, highwater - position))
