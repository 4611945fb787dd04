"""The orjson codec: decode with limits and reason codes, encode round trip."""

from __future__ import annotations

import orjson
import pytest

from schemas import RawArticle
from streams.codec import decode_raw, encode
from streams.errors import DecodeError, LimitExceeded


def test_round_trip_keeps_every_field() -> None:
    raw = RawArticle(source="s", content="Title\nBody.", url="https://x.test/a", metadata={"k": [1, 2]})
    assert decode_raw(encode(raw), max_bytes=10_000) == raw


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "invalid_json"),
        (b'{"source": "s"}', "missing_field"),
        (b'{"source": "s", "content": 5}', "invalid_field"),
        (b'{"source": "s", "content": "x", "content_type": "image/png"}', "invalid_field"),
        (b"[1, 2]", "not_an_object"),
        (b'"text"', "not_an_object"),
        (b'{"source": "s", "content": "caf\xe9"}', "invalid_utf8"),
        (None, "empty_message"),
    ],
)
def test_bad_input_has_a_reason(data: bytes | None, reason: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_raw(data, max_bytes=10_000)
    assert info.value.reason == reason
    assert not info.value.retriable


def test_size_is_checked_before_parsing() -> None:
    with pytest.raises(LimitExceeded) as info:
        decode_raw(b"x" * 101, max_bytes=100)
    assert info.value.reason == "message_too_large"


def test_deep_nesting_is_rejected() -> None:
    deep: dict[str, object] = {"source": "s", "content": "c"}
    node = deep
    for _ in range(80):
        child: dict[str, object] = {}
        node["metadata"] = child
        node = child
    with pytest.raises(LimitExceeded) as info:
        decode_raw(orjson.dumps(deep), max_bytes=1_000_000)
    assert info.value.reason == "too_deep"


def test_detail_never_echoes_the_payload() -> None:
    with pytest.raises(DecodeError) as info:
        decode_raw(b'{"source": "s", "content": ["SECRET-PAYLOAD"]}', max_bytes=10_000)
    assert "SECRET" not in str(info.value)
