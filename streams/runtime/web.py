"""The worker's operational endpoints on Faust's web server: /metrics, /health, /ready."""

from __future__ import annotations

from typing import Any

import faust
from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from streams.metrics import Metrics


class Readiness:
    """Whether the worker has joined its group and holds an assignment."""

    def __init__(self) -> None:
        self.started = False
        self.assigned = False

    def ready(self, app: faust.App) -> bool:
        return self.started and self.assigned and not app.rebalancing


def register_views(app: faust.App, metrics: Metrics, readiness: Readiness) -> None:
    """Add the three endpoints to `app`'s web server."""

    @app.page("/metrics")
    class MetricsView(View):
        async def get(self, request: Request) -> Response:
            # aiohttp refuses a charset inside content_type=, so the header is set as is.
            return self.bytes(
                generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
            )

    @app.page("/health")
    class HealthView(View):
        async def get(self, request: Request) -> Response:
            return self.json({"status": "ok"})

    @app.page("/ready")
    class ReadyView(View):
        async def get(self, request: Request) -> Response:
            ok = readiness.ready(app)
            body: dict[str, Any] = {"ready": ok, "rebalancing": bool(app.rebalancing)}
            return self.json(body, status=200 if ok else 503)
