"""Dead letters: the original key and value bytes with headers that say what went wrong.

Example:
    >>> from streams.errors import DecodeError
    >>> h = headers_for("news.articles.raw", 0, 42, "split", DecodeError("invalid_json"))
    >>> dict(h)["reason"]
    b'invalid_json'
"""

from __future__ import annotations

from schemas.messages import DeadLetterHeaders
from streams.errors import NewsstreamError

Headers = list[tuple[str, bytes]]


def headers_for(topic: str, partition: int, offset: int, stage: str, error: NewsstreamError) -> Headers:
    """Kafka headers of a dead letter (validated against the DeadLetterHeaders model)."""
    model = DeadLetterHeaders(
        original_topic=topic,
        original_partition=partition,
        original_offset=offset,
        stage=stage,
        error_class=type(error).__name__,
        reason=error.reason,
    )
    return [(name, str(value).encode("utf-8")) for name, value in model.model_dump().items()]


def parse_headers(headers: Headers | dict[str, bytes] | None) -> DeadLetterHeaders:
    """Read dead-letter headers back (consumers and tests)."""
    items = headers.items() if isinstance(headers, dict) else (headers or [])
    return DeadLetterHeaders.model_validate({k: v.decode("utf-8") for k, v in items})
