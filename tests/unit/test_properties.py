"""Property-based: arbitrary bytes and arbitrary RawArticle JSON never escape as exceptions,
and the same input always yields the same entry ids."""

from __future__ import annotations

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.codec import decode_raw
from streams.errors import DeadLetterError
from streams.pipeline import Pipeline
from streams.settings import Settings

PIPELINE = Pipeline.from_settings(Settings())
LIMIT = 200_000

words = st.sampled_from(
    [
        "Putin",
        "said",
        "the",
        "EU",
        "in",
        "Paris",
        "09:14",
        "Advertisement",
        "Key points",
        "Share",
        "Mr",
        "Zelensky",
        "Live",
        "—",
        "U.S.",
        "won",
        "2-1",
        "Liverpool",
        "<p>",
        "</p>",
        "<article>",
        "<time>",
        "Your support",
        "\u2019s",
        "New",
        "York",
    ]
)
lines = st.lists(st.one_of(words, st.text(max_size=40)), max_size=25).map(" ".join)
content = st.lists(lines, min_size=1, max_size=30).map("\n".join)
articles = st.fixed_dictionaries(
    {"source": st.text(max_size=20), "content": st.one_of(content, st.text(max_size=2000))},
    optional={
        "content_type": st.sampled_from(["text/plain", "text/html", "image/png"]),
        "url": st.one_of(st.none(), st.text(max_size=60)),
        "title": st.one_of(st.none(), st.text(max_size=80)),
        "article_id": st.one_of(st.none(), st.text(max_size=30)),
        "published_at": st.one_of(st.none(), st.just("2025-03-04T09:00:00Z"), st.text(max_size=20)),
        "metadata": st.dictionaries(st.text(max_size=10), st.integers(-(2**63), 2**63 - 1), max_size=3),
    },
)


@given(st.binary(max_size=3000))
@settings(max_examples=300, deadline=None)
def test_arbitrary_bytes_are_decoded_or_rejected_with_a_reason(data: bytes) -> None:
    try:
        decode_raw(data, max_bytes=LIMIT)
    except DeadLetterError as exc:
        assert exc.reason  # every rejection names its reason


def _run(data: bytes) -> list[str]:
    raw = decode_raw(data, max_bytes=LIMIT)
    entries = PIPELINE.split(raw)
    PIPELINE.enrich(entries) if entries else None
    return [e.entry_id for e in entries]


@given(articles)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_articles_split_and_tag_without_escaping_and_deterministically(article: dict) -> None:  # type: ignore[type-arg]
    data = orjson.dumps(article)
    try:
        first = _run(data)
    except DeadLetterError as exc:
        assert exc.reason
        return
    assert first == _run(data)
