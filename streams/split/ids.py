"""Stable identifiers: article ids from url or content, entry ids, content hashes.

Example:
    >>> article_id_for(url="https://example.com/a?utm_source=x", content="...", source="s")
    'a-cc842f94486c5cca'
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|ocid|cmpid|at_\w+)$", re.IGNORECASE)


def _digest(*parts: str, size: int = 16) -> str:
    h = hashlib.blake2b(digest_size=size // 2)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def canonical_url(url: str) -> str:
    """The url without fragment, tracking parameters, or case in the host."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def article_id_for(*, url: str | None, content: str, source: str) -> str:
    """An id for an article without one: from its url, else from source and content."""
    if url:
        return "a-" + _digest(canonical_url(url))
    return "c-" + _digest(source, content)


def normalise(text: str) -> str:
    """Lower-case words only, so whitespace and punctuation edits do not change ids."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def entry_id_for(article_id: str, identity: str, occurrence: int) -> str:
    """A stable entry id from the article and what identifies the entry within it."""
    return f"{article_id}:{_digest(identity, str(occurrence), size=12)}"


def content_hash(headline: str | None, body: str) -> str:
    """Hash of an entry's text: changes exactly when its headline or body does."""
    return _digest(headline or "", body, size=16)
