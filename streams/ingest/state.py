"""What the ingester already published: url -> content hash, in a small JSON file.

An item is published again only when its page changed (a live blog that grew).

Example:
    >>> state = SeenState(None)
    >>> digest = state.changed("https://n.test/a", b"v1")
    >>> state.record("https://n.test/a", digest)
    >>> state.changed("https://n.test/a", b"v1") is None, state.changed("https://n.test/a", b"v2") is None
    (True, False)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import orjson

_MAX_URLS = 50_000


class SeenState:
    """Content hashes of published items; persisted atomically when a path is given."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.seen: dict[str, str] = {}
        if path is not None and path.exists():
            self.seen = orjson.loads(path.read_bytes())

    def changed(self, url: str, content: bytes) -> str | None:
        """The digest of `content` when it differs from what was published for `url`, else None."""
        digest = hashlib.blake2b(content, digest_size=16).hexdigest()
        return None if self.seen.get(url) == digest else digest

    def record(self, url: str, digest: str) -> None:
        """Remember that `url` was published with `digest` (after the publish succeeded)."""
        self.seen.pop(url, None)
        self.seen[url] = digest  # re-inserted last: the oldest entries are dropped first
        while len(self.seen) > _MAX_URLS:
            self.seen.pop(next(iter(self.seen)))

    def save(self) -> None:
        """Write the state (temp file + rename, so a crash never leaves half a file)."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(orjson.dumps(self.seen))
        os.replace(tmp, self.path)
