"""Settings come from NEWSSTREAM_* variables and are frozen."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from streams.settings import Settings


def test_defaults_match_the_contract() -> None:
    s = Settings()
    assert s.broker_url == "kafka://127.0.0.1:9092"
    assert s.web_port == 6066
    assert s.topics == ("news.articles.raw", "news.entries", "news.entries.enriched", "news.deadletter")
    assert Settings(stories=True).topics == (*s.topics, "news.stories.bands", "news.stories.matches")


def test_env_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSSTREAM_BROKER_URL", "kafka://a:1;b:2")
    monkeypatch.setenv("NEWSSTREAM_TOPIC_PARTITIONS", "8")
    s = Settings()
    assert s.bootstrap_servers == "a:1,b:2"
    assert s.topic_partitions == 8


def test_frozen() -> None:
    s = Settings()
    with pytest.raises(ValidationError):
        s.web_port = 1  # type: ignore[misc]


def test_every_field_documents_its_env_name() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description and field.description.startswith(f"NEWSSTREAM_{name.upper()}:"), name
