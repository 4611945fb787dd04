"""The one codec of the wire format: orjson bytes <-> pydantic models, with input limits.

Example:
    >>> raw = decode_raw(b'{"source": "s", "content": "Hello"}', max_bytes=100)
    >>> raw.source
    's'
    >>> encode(raw)[:24]
    b'{"schema_version":"1.3",'
"""

from __future__ import annotations

from typing import TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from schemas.messages import (
    BandAnswer,
    BandMessage,
    BandProbe,
    BandSettle,
    EnrichedEntry,
    Entry,
    MatchMessage,
    PendingEntry,
    RawArticle,
)
from streams.errors import DecodeError, LimitExceeded

M = TypeVar("M", bound=BaseModel)

#: Deeper JSON is rejected before validation (orjson itself stops at 1024).
MAX_DEPTH = 64


def encode(model: BaseModel) -> bytes:
    """Serialise a model to compact JSON bytes, dropping nothing."""
    return orjson.dumps(model.model_dump(mode="json"))


def _depth(value: object, limit: int) -> int:
    """Nesting depth of decoded JSON, stopping as soon as it passes `limit`."""
    stack: list[tuple[object, int]] = [(value, 1)]
    deepest = 0
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
    return deepest


def decode(data: bytes | None, model: type[M], *, max_bytes: int) -> M:
    """Parse and validate one message; raise a `DeadLetterError` subclass on bad input."""
    if data is None:
        raise DecodeError("empty_message", "message has no value")
    if len(data) > max_bytes:
        raise LimitExceeded("message_too_large", f"{len(data)} bytes > {max_bytes}")
    try:
        obj = orjson.loads(data)  # orjson rejects invalid UTF-8 too; the reason is told apart below
    except orjson.JSONDecodeError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise DecodeError("invalid_utf8", f"byte {bad.start} is not UTF-8") from exc
        reason = "too_deep" if "recursion" in str(exc).lower() else "invalid_json"
        raise DecodeError(reason, "value is not JSON") from exc
    if not isinstance(obj, dict):
        raise DecodeError("not_an_object", f"JSON {type(obj).__name__}, expected object")
    # Nesting deeper than MAX_DEPTH needs that many brackets: most messages skip the walk.
    if data.count(b"{") + data.count(b"[") > MAX_DEPTH and _depth(obj, MAX_DEPTH) > MAX_DEPTH:
        raise LimitExceeded("too_deep", f"nesting deeper than {MAX_DEPTH}")
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        raise DecodeError(_validation_reason(exc), _validation_detail(exc)) from exc


def _validation_reason(exc: ValidationError) -> str:
    """A short, bounded reason code for the first validation error."""
    first = exc.errors()[0]
    if first["type"] == "missing":
        return "missing_field"
    return "invalid_field"


def _validation_detail(exc: ValidationError) -> str:
    """Field locations and error types only: never echo the untrusted values."""
    return "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['type']}" for err in exc.errors()[:5])


def decode_raw(data: bytes | None, *, max_bytes: int) -> RawArticle:
    """Decode a `news.articles.raw` value."""
    return decode(data, RawArticle, max_bytes=max_bytes)


def decode_entry(data: bytes | None, *, max_bytes: int) -> Entry:
    """Decode a `news.entries` value."""
    return decode(data, Entry, max_bytes=max_bytes)


def decode_enriched(data: bytes | None, *, max_bytes: int) -> EnrichedEntry:
    """Decode a `news.entries.enriched` value."""
    return decode(data, EnrichedEntry, max_bytes=max_bytes)


def decode_band(data: bytes | None, *, max_bytes: int) -> BandProbe | BandSettle:
    """Decode a `news.stories.bands` value (a probe or a settle)."""
    return decode(data, BandMessage, max_bytes=max_bytes).root


def decode_match(data: bytes | None, *, max_bytes: int) -> BandAnswer | PendingEntry:
    """Decode a `news.stories.matches` value (an answer or a pending entry)."""
    return decode(data, MatchMessage, max_bytes=max_bytes).root


def peek_match(data: bytes | None, *, max_bytes: int) -> tuple[str, str, int | None, int]:
    """`(kind, entry id, partition, answers expected)` of a `news.stories.matches` value, unvalidated.

    The matches agent keeps the message as it came and validates it (`decode_match`)
    when its entry is complete; this reads only what it needs to file it.
    """
    if data is None:
        raise DecodeError("empty_message", "message has no value")
    if len(data) > max_bytes:
        raise LimitExceeded("message_too_large", f"{len(data)} bytes > {max_bytes}")
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise DecodeError("invalid_json", "value is not JSON") from exc
    if not isinstance(obj, dict):
        raise DecodeError("not_an_object", f"JSON {type(obj).__name__}, expected object")
    kind = obj.get("kind")
    entry = obj.get("entry") if kind == "entry" else obj
    entry_id = entry.get("entry_id") if isinstance(entry, dict) else None
    partition = obj.get("partition")
    if kind not in ("entry", "answer") or not isinstance(entry_id, str):
        raise DecodeError("missing_field", "kind and entry_id")
    expected = obj.get("expected") if kind == "answer" else len(obj.get("partitions") or ())
    if kind == "answer" and not (isinstance(partition, int) and isinstance(expected, int)):
        raise DecodeError("missing_field", "partition and expected")
    return kind, entry_id, partition if kind == "answer" else None, int(expected or 0)
