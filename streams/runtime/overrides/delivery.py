"""Handing each fetched message to its stream without four asyncio tasks per message.

Upstream: Faust's `Consumer._drain_messages` calls mode's `Service.wait_first` for every
message; here the consumer's `wait_first` recognises that call (by the frame of its
`suspend_flow.wait()` argument) and runs the delivery eagerly, and `stop_flow` cancels a
delivery that blocked.

Faust's consumer delivers every message with `wait_first(callback(message),
suspend_flow.wait())`: four tasks (the callback, the flow event, the stopped and crashed
events), an `asyncio.wait`, then three cancellations, so that a delivery blocked on a
full stream buffer is abandoned when a rebalance stops the flow. Most deliveries never
block: they put the event on the stream's queue. So the callback is run at once, up to
its first suspension; only a delivery that does block goes on as one task, and
`stop_flow` (what a rebalance calls) cancels that task, which is Faust's outcome.

Example:
    >>> async def put(queue: asyncio.Queue[int]) -> str:
    ...     await queue.put(1)
    ...     return "delivered"
    >>> async def main() -> tuple[bool, str]:
    ...     started = start_eagerly(put(asyncio.Queue()))
    ...     return started.done, started.result
    >>> asyncio.run(main())
    (True, 'delivered')
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Generator
from dataclasses import dataclass
from typing import Any, cast

from faust.transport.drivers.aiokafka import Consumer
from mode.services import WaitArgT, WaitResults

#: What this module replaces or relies on (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "faust.transport.consumer.Consumer._drain_messages": "8f35dd7a11144daa",
    "faust.transport.consumer.Consumer.stop_flow": "aa77389dc23a1981",
    "mode.services.Service.wait_first": "3ed3b8c32e14dec3",
}


@dataclass
class Started:
    """A coroutine run up to its first suspension: its result, or what it waits on."""

    coro: Coroutine[Any, Any, Any]
    done: bool
    result: Any = None
    waiting_on: Any = None

    def __await__(self) -> Generator[Any, None, Any]:
        """Go on from the suspension, as if the coroutine had been awaited from the start."""
        if self.done:
            return self.result
        yielded = self.waiting_on
        while True:
            try:
                yield yielded  # the task driving us waits on it, as it would have
            except GeneratorExit:
                self.coro.close()
                raise
            except BaseException as exc:  # cancellation (or an error) thrown in by the task
                try:
                    yielded = self.coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    yielded = self.coro.send(None)
                except StopIteration as stop:
                    return stop.value


def start_eagerly(coro: Coroutine[Any, Any, Any]) -> Started:
    """Run `coro` until it first suspends (what Python 3.12's eager tasks do)."""
    try:
        waiting_on = coro.send(None)
    except StopIteration as stop:
        return Started(coro, done=True, result=stop.value)
    return Started(coro, done=False, waiting_on=waiting_on)


async def finish(started: Started) -> Any:
    """A coroutine finishing what `start_eagerly` began (to run as a task)."""
    return await started


class EagerDeliveryConsumer(Consumer):
    """Faust's aiokafka consumer, delivering each message without tasks unless it blocks."""

    _blocked: asyncio.Future[Any] | None = None

    # mode's signature, overridden: the timeout parameter is not ours to change.
    async def wait_first(self, *coros: WaitArgT, timeout: Any = None) -> WaitResults:  # noqa: ASYNC109
        """`wait_first`, with the per-message delivery started eagerly (see the module doc)."""
        pair = None if timeout is not None or self._flow_stopped() else self._delivery(coros)
        if pair is None:
            return await super().wait_first(*coros, timeout=cast(Any, timeout))
        delivery, flow_wait = pair
        flow_wait.close()  # never awaited: `stop_flow` cancels a blocked delivery instead
        started = start_eagerly(delivery)
        if started.done:
            return WaitResults([delivery], [started.result], False)
        return await self._finish_blocked(delivery, started)

    async def _finish_blocked(self, delivery: Coroutine[Any, Any, Any], started: Started) -> WaitResults:
        """Wait for a delivery that blocked, unless a rebalance stops the flow meanwhile."""
        task = self._blocked = asyncio.ensure_future(finish(started))
        try:
            return WaitResults([delivery], [await task], False)
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the fetcher itself is being cancelled
            return WaitResults([], [], True)  # abandoned by stop_flow, as Faust's path does
        finally:
            self._blocked = None

    def stop_flow(self) -> None:
        """Stop the flow (a rebalance); a delivery blocked on a full buffer is abandoned."""
        super().stop_flow()
        if self._blocked is not None:
            self._blocked.cancel()

    def _delivery(self, coros: tuple[WaitArgT, ...]) -> tuple[Coroutine[Any, Any, Any], ...] | None:
        """The callback and suspend-flow wait of `_drain_messages`' call; None for other calls."""
        if len(coros) != 2 or not all(isinstance(c, Coroutine) for c in coros):
            return None
        frame = getattr(coros[1], "cr_frame", None)  # a coroutine not started yet has one
        if frame is None or frame.f_locals.get("self") is not self.suspend_flow:
            return None
        return cast(tuple[Coroutine[Any, Any, Any], ...], coros)

    def _flow_stopped(self) -> bool:
        """Suspended, stopping or crashed: Faust's own path decides what happens."""
        return bool(self.suspend_flow.is_set() or self._stopped.is_set() or self._crashed.is_set())
