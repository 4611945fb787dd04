"""Dead-letter headers carry origin, stage, error class and reason."""

from __future__ import annotations

from streams.deadletter import headers_for, parse_headers
from streams.errors import LimitExceeded


def test_headers_round_trip() -> None:
    headers = headers_for("news.articles.raw", 3, 17, "split", LimitExceeded("message_too_large", "9 > 1"))
    parsed = parse_headers(headers)
    assert (parsed.original_topic, parsed.original_partition, parsed.original_offset) == (
        "news.articles.raw",
        3,
        17,
    )
    assert (parsed.stage, parsed.error_class, parsed.reason) == (
        "split",
        "LimitExceeded",
        "message_too_large",
    )
    assert all(isinstance(v, bytes) for _, v in headers)
