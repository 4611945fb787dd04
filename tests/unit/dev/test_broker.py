"""The dev broker finds the Maven project that fetches Apache Kafka, for the version it runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.dev.broker import KAFKA_VERSION, POM, DevBroker


def test_the_pom_is_found_from_the_package() -> None:
    assert POM.is_file(), POM
    assert f"<kafka.version>{KAFKA_VERSION}</kafka.version>" in POM.read_text(encoding="utf-8")


def test_the_controller_port_is_never_the_client_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The OS may hand out a port the caller picked but has not bound yet: Kafka then fails
    # to format its storage (two listeners on one port).
    offered = iter([9500, 9500, 9501])
    monkeypatch.setattr("streams.dev.broker.free_port", lambda: next(offered))
    node = DevBroker(engine="kafka", port=9500, data_dir=tmp_path)
    assert node.controller_port == 9501
