"""What the ingester already published, per URL, in a small JSON file: the content hash, the
HTTP validators (ETag, Last-Modified) and the date the feed gave the item.

An item is published again only when its page changed (a live blog that grew). The
validators let the next poll ask "changed since?" and take a 304 instead of the page; the
feed's date lets it skip the request altogether when the feed says nothing changed.

Example:
    >>> state = SeenState(None)
    >>> digest = state.changed("https://n.test/a", b"v1")
    >>> state.record("https://n.test/a", digest, etag='"v1"')
    >>> state.changed("https://n.test/a", b"v1") is None, state.changed("https://n.test/a", b"v2") is None
    (True, False)
    >>> state.validators("https://n.test/a")
    ('"v1"', None)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import orjson

_MAX_URLS = 50_000


Seen = dict[str, str]  # digest, etag, modified, date: whichever are known


class SeenState:
    """What was published per URL; persisted atomically when a path is given."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.seen: dict[str, Seen] = {}
        if path is not None and path.exists():
            stored = orjson.loads(path.read_bytes())
            # Files of earlier versions hold url -> digest.
            self.seen = {url: v if isinstance(v, dict) else {"digest": v} for url, v in stored.items()}

    def changed(self, url: str, content: bytes) -> str | None:
        """The digest of `content` when it differs from what was published for `url`, else None."""
        digest = hashlib.blake2b(content, digest_size=16).hexdigest()
        return None if self.seen.get(url, {}).get("digest") == digest else digest

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified the server last gave for `url`."""
        seen = self.seen.get(url, {})
        return seen.get("etag"), seen.get("modified")

    def date(self, url: str) -> str | None:
        """The date the feed last gave the item at `url` (ISO), if it gave one."""
        return self.seen.get(url, {}).get("date")

    def record(
        self,
        url: str,
        digest: str | None = None,
        *,
        etag: str | None = None,
        modified: str | None = None,
        date: str | None = None,
    ) -> None:
        """Remember what was published for `url` (after the publish succeeded), keeping what is not new."""
        seen = self.seen.pop(url, {})
        fresh = {"digest": digest, "etag": etag, "modified": modified, "date": date}
        seen.update({key: value for key, value in fresh.items() if value})
        self.seen[url] = seen  # re-inserted last: the oldest entries are dropped first
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
