"""Reading article files (txt, html, json, jsonl) or stdin into RawArticles.

`.html`/`.htm` are `text/html`; `.json` is one RawArticle and `.jsonl` one per line;
anything else (and stdin) is plain text unless a content type is given.

Example:
    >>> arts = read_inputs(["-"], stdin=io.StringIO("Title\\nBody."), source="cli")
    >>> arts[0].source, arts[0].content_type
    ('cli', 'text/plain')
"""

from __future__ import annotations

import io  # noqa: F401 - used by the docstring example
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from schemas.messages import RawArticle
from streams.codec import decode_raw
from streams.errors import DeadLetterError, DecodeError

_HTML = {".html", ".htm"}
_MAX_FILE_BYTES = 50_000_000


def _content_type(path: str, override: str | None) -> str:
    if override:
        return override
    return "text/html" if Path(path).suffix.lower() in _HTML else "text/plain"


def _json_articles(path: Path, data: bytes, overrides: dict[str, str]) -> list[RawArticle]:
    lines = data.splitlines() if path.suffix.lower() == ".jsonl" else [data]
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = decode_raw(line, max_bytes=_MAX_FILE_BYTES)
        except DeadLetterError as exc:
            where = f"{path}:{number}" if path.suffix.lower() == ".jsonl" else str(path)
            raise DecodeError(exc.reason, f"{where}: {exc.detail or exc.reason}") from exc
        out.append(raw.model_copy(update=overrides))
    return out


def read_inputs(
    paths: Sequence[str],
    *,
    source: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    stdin: TextIO | None = None,
) -> list[RawArticle]:
    """RawArticles from files or `-`; raises DecodeError naming the file on bad input."""
    articles: list[RawArticle] = []
    for name in paths:
        overrides = {
            k: v for k, v in {"source": source, "url": url, "content_type": content_type}.items() if v
        }
        if name == "-":
            text = (stdin or sys.stdin).read()
            articles.append(_text_article(text, "-", source, url, content_type or "text/plain"))
            continue
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DecodeError("unreadable_file", f"{name}: {exc.strerror}") from exc
        if path.suffix.lower() in {".json", ".jsonl"}:
            articles.extend(_json_articles(path, data, overrides))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecodeError("invalid_utf8", f"{name}: byte {exc.start} is not UTF-8") from exc
        articles.append(_text_article(text, name, source, url, _content_type(name, content_type)))
    return articles


def _text_article(text: str, name: str, source: str | None, url: str | None, content_type: str) -> RawArticle:
    if not text.strip():
        raise DecodeError("empty_input", f"{name}: no text")
    return RawArticle.model_validate(
        {"source": source or "local", "content": text, "content_type": content_type, "url": url}
    )
