"""A local HTTP server for feed tests: fixture feeds and pages, plus failure routes."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import DATA


@dataclass
class Site:
    """Routes served (path -> (status, body)), and what requests arrived."""

    base: str = ""
    routes: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    requests: list[tuple[float, str, str]] = field(default_factory=list)  # time, path, user agent
    statuses: list[tuple[str, int]] = field(default_factory=list)  # path, status sent
    slow_seconds: float = 3.0
    validators: bool = True  # send ETag and Last-Modified, and answer 304 when they match

    def feed(self, name: str) -> str:
        return self.base + f"/feeds/{name}"


def _site() -> Site:
    site = Site()
    site.routes["/robots.txt"] = (200, b"User-agent: *\nDisallow: /private/\n")
    site.routes["/articles/flood-live"] = (200, (DATA / "liveblog.html").read_bytes())
    paras = "".join(
        f"<p>Paragraph {i}: the council approved the bridge budget after a long debate.</p>" for i in range(6)
    )
    site.routes["/articles/bridge"] = (
        200,
        f"<html><head><title>Council approves bridge</title></head><body><main><h1>Council approves "
        f"bridge</h1>{paras}</main></body></html>".encode(),
    )
    site.routes["/private/page"] = (200, b"<html><body><p>Not for crawlers.</p></body></html>")
    return site


@pytest.fixture
def site() -> Iterator[Site]:
    state = _site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
            if self.path.startswith("/slow/"):
                time.sleep(state.slow_seconds)
            feed = DATA / "feeds" / self.path.rsplit("/", 1)[1]
            if self.path.startswith("/feeds/") and feed.exists():
                host = state.base.removeprefix("http://").encode()
                status, body = 200, feed.read_bytes().replace(b"HOST", host)
            else:
                status, body = state.routes.get(self.path, (404, b"not found"))
            etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'
            if state.validators and status == 200 and self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
            state.statuses.append((self.path, status))
            self.send_response(status)
            if state.validators and status in (200, 304):
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", "Tue, 05 Mar 2024 09:30:00 GMT")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
