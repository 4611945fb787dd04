"""Fingerprints of the upstream code each override replaces or relies on.

Every module of `streams.runtime.overrides` lists, in `UPSTREAM`, the Faust, mode and
aiokafka functions it copies, replaces or depends on, each with a hash of its source.
A unit test recomputes them: when an upgrade changes one, the test names it, and the
override is read against the new upstream code before the hash is updated. The
versions are also pinned in `pyproject.toml`, so an upgrade is always a conscious act.

Example:
    >>> len(fingerprint("faust.app.base.App._new_producer"))
    16
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import textwrap
from collections.abc import Mapping
from typing import Any


def resolve(dotted: str) -> Any:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = inspect.getattr_static(obj, name)
        return obj.fget if isinstance(obj, property) else getattr(obj, "__func__", obj)
    raise ImportError(dotted)


def fingerprint(dotted: str) -> str:
    """The first 16 hex digits of the sha256 of the named object's source (dedented)."""
    source = textwrap.dedent(inspect.getsource(resolve(dotted)))
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def drifted(pins: Mapping[str, str]) -> list[str]:
    """The dotted names in `pins` whose source no longer has the pinned fingerprint."""
    return [name for name, pinned in pins.items() if fingerprint(name) != pinned]
