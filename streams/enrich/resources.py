"""Loading of the enrichment data files shipped in `streams/enrich/data/` (read once).

Example:
    >>> "President" in lexicon()["person_titles"]
    True
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")


@cache
def load_toml(name: str) -> dict[str, Any]:
    """One TOML data file, parsed once per process."""
    return tomllib.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def lexicon() -> dict[str, Any]:
    """Word lists for the entity rules."""
    return load_toml("lexicon.toml")


@cache
def name_particles() -> str:
    """The lower-case particles of personal names as a regex alternation, longest first.

    >>> import re
    >>> re.fullmatch(rf"Ursula (?:(?:{name_particles()}) )*Leyen", "Ursula von der Leyen") is not None
    True
    """
    words = sorted(lexicon()["name_particles"], key=len, reverse=True)
    return "|".join(re.escape(word) for word in words)


@cache
def stopwords() -> frozenset[str]:
    """English function words (lower case)."""
    text = (DATA_DIR / "stopwords.txt").read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(word for line in lines for word in line.split())


@cache
def common_words() -> frozenset[str]:
    """Common English words, lower case (SCOWL sizes 10-35; see data/README.md)."""
    text = (DATA_DIR / "common_words.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))
