"""The newsstream exception tree: every error says whether to retry or dead-letter.

Example:
    >>> err = DecodeError("invalid_json", "not JSON")
    >>> (err.reason, err.retriable)
    ('invalid_json', False)
"""

from __future__ import annotations


class NewsstreamError(Exception):
    """Root of every error newsstream raises on purpose."""

    retriable: bool = False

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class DeadLetterError(NewsstreamError):
    """The input itself is bad: send it to the dead-letter topic with `reason`."""


class DecodeError(DeadLetterError):
    """Bytes that are not UTF-8 JSON of the expected shape."""


class LimitExceeded(DeadLetterError):
    """Input over a configured limit (size, length, entries, depth)."""


class ProcessingError(DeadLetterError):
    """Splitting or tagging failed on this input (a bug or an input we do not handle)."""


class RetriableError(NewsstreamError):
    """A transient failure (broker, network): retry, do not dead-letter."""

    retriable = True


class ConfigError(NewsstreamError):
    """Settings or environment that cannot work; reported to the user, never retried."""


class BrokerError(NewsstreamError):
    """The dev broker could not be fetched, started or reached."""
