"""Faust's `App` building our producer, consumer and web server classes.

Upstream: `faust.App._new_producer` asks the transport for its producer driver,
`_new_consumer` calls `transport.create_consumer`, and `_new_web` builds the web driver
named by the `web` setting. Here they build our subclasses (`producer.FaustProducer`;
`transactions.TransactionalConsumer`, which delivers eagerly as `delivery` describes;
`web.OpsWeb`) with the same arguments; everything else is Faust's. Why: see those modules.

Example:
    >>> App.__mro__[1].__module__
    'faust.app.base'
"""

from __future__ import annotations

from typing import Any

import faust
from faust.types import ConsumerT, ProducerT

from streams.runtime.overrides.producer import FaustProducer
from streams.runtime.overrides.transactions import TransactionalConsumer
from streams.runtime.overrides.web import OpsWeb

#: What this module replaces or copies (see `streams.runtime.overrides.upstream`).
UPSTREAM = {
    "faust.app.base.App._new_producer": "37b900646ed68fc0",
    "faust.app.base.App._new_consumer": "a0d344acb0c46b0d",
    "faust.transport.base.Transport.create_consumer": "9eb4f22bbf3f8dc1",
    "faust.app.base.App._new_web": "7fefb7f7bb74c273",
}


class App(faust.App):
    """Faust's app with a leaner producer, an eager and transactional consumer, and ops-only web views."""

    def _new_producer(self) -> ProducerT:
        return FaustProducer(self.transport, loop=self.loop, beacon=self.beacon)

    def _new_consumer(self) -> ConsumerT:
        # What faust.App builds, but with our consumer class (transport.create_consumer's call).
        return TransactionalConsumer(
            self.transport,
            callback=self.topics.on_message,
            on_partitions_revoked=self._on_partitions_revoked,
            on_partitions_assigned=self._on_partitions_assigned,
            beacon=self.beacon,
            loop=self.loop,
        )

    def _new_web(self) -> Any:
        return OpsWeb(self)
