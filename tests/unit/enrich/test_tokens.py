"""The chunked tokeniser gives what one findall over the text gives, for both word patterns."""

from __future__ import annotations

import re

import pytest

from streams.enrich import keywords, vectors
from streams.enrich.tokens import words

TEXTS = [
    "Plain words only here",
    "The U.S. president's 2.5% rise — “unprecedented”, said Ms O’Neill (AP).",
    "Tabs\tand\nnew lines, £40m and €3bn; semi-final at 7:30pm",
    "Übersee café naïve Zürich-based",
    "",
]


@pytest.mark.parametrize("pattern", [keywords._WORD, vectors._WORD])
@pytest.mark.parametrize("text", TEXTS)
def test_words_match_one_findall(pattern: re.Pattern[str], text: str) -> None:
    lowered = text.lower()
    assert words(lowered, pattern) == pattern.findall(lowered)
