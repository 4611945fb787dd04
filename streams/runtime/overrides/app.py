"""Faust's `App` building our producer and consumer classes.

Upstream: `faust.App._new_producer` asks the transport for its producer driver, and
`_new_consumer` calls `transport.create_consumer`. Here both build our subclasses
(`producer.FaustProducer`, `delivery.EagerDeliveryConsumer`) with the same arguments;
everything else is Faust's. Why: see those two modules.

Example:
    >>> App.__mro__[1].__module__
    'faust.app.base'
"""

from __future__ import annotations

import faust
from faust.types import ConsumerT, ProducerT

from streams.runtime.overrides.delivery import EagerDeliveryConsumer
from streams.runtime.overrides.producer import FaustProducer

#: What this module replaces or copies (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "faust.app.base.App._new_producer": "37b900646ed68fc0",
    "faust.app.base.App._new_consumer": "a0d344acb0c46b0d",
    "faust.transport.base.Transport.create_consumer": "9eb4f22bbf3f8dc1",
}


class App(faust.App):
    """Faust's app with a leaner producer and consumer."""

    def _new_producer(self) -> ProducerT:
        return FaustProducer(self.transport, loop=self.loop, beacon=self.beacon)

    def _new_consumer(self) -> ConsumerT:
        # What faust.App builds, but with our consumer class (transport.create_consumer's call).
        return EagerDeliveryConsumer(
            self.transport,
            callback=self.topics.on_message,
            on_partitions_revoked=self._on_partitions_revoked,
            on_partitions_assigned=self._on_partitions_assigned,
            beacon=self.beacon,
            loop=self.loop,
        )
