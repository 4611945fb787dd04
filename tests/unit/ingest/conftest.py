"""Fixtures of the ingestion tests."""

from tests.httpfixture import site  # noqa: F401 - a fixture, found by pytest through this import
