"""Worker logging: one line per event of note, JSON when NEWSSTREAM_LOG_FORMAT=json.

Log calls pass ids through `extra` (`article_id`, `entry_id`, `reason`, …); payload text
is never logged at info level.

Example:
    >>> rec = logging.LogRecord("newsstream", logging.INFO, __file__, 1, "split", None, None)
    >>> rec.article_id = "a-1"
    >>> orjson.loads(JsonFormatter().format(rec))["article_id"]
    'a-1'
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import orjson

# Attributes every LogRecord has; anything else came in through `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(out, default=str).decode()


def configure(level: str, fmt: str) -> logging.Handler:
    """Set up the root logger (Faust logs through it too); returns the handler installed."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    return handler
