"""The dev broker finds the Maven project that fetches Apache Kafka, for the version it runs."""

from __future__ import annotations

from streams.dev.broker import KAFKA_VERSION, POM


def test_the_pom_is_found_from_the_package() -> None:
    assert POM.is_file(), POM
    assert f"<kafka.version>{KAFKA_VERSION}</kafka.version>" in POM.read_text(encoding="utf-8")
