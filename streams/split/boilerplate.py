"""Publisher boilerplate: appeals, widgets, bylines and link lists, from data patterns.

Example:
    >>> DEFAULT_PATTERNS.is_line("Advertisement")
    True
    >>> DEFAULT_PATTERNS.strip_glued("Your support makes all the difference.Putin spoke.")
    'Putin spoke.'
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "boilerplate.toml"

# A sentence glued to the next with no space ("counts.Negotiators"): two page blocks joined.
_GLUED = re.compile(r"^(.{3,120}?[.!?])(?=[A-Z\u201c\"])")
# A sentence end, including the "difference.Russian" glue that scrapers leave between blocks.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?:\s+|(?=[A-Z\u201c\"]))")


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _literals(words: list[str]) -> re.Pattern[str]:
    """Any of `words`, matched literally (against lower-cased text)."""
    return re.compile("|".join(map(re.escape, words)))


@dataclass(frozen=True)
class BoilerplatePatterns:
    """Compiled patterns: whole lines, appeals, and the publisher's own voice."""

    lines: re.Pattern[str]
    contains: re.Pattern[str]
    contains_triggers: re.Pattern[str]
    max_line_chars: int
    appeal: re.Pattern[str]
    publisher_voice: re.Pattern[str]
    appeal_triggers: re.Pattern[str]
    link_block_heads: re.Pattern[str]
    trailing_link_run: int

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> BoilerplatePatterns:
        """Read the patterns file once."""
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(
            lines=_compile(data["lines"]),
            contains=_compile(data["contains"]),
            contains_triggers=_literals(data["contains_triggers"]),
            max_line_chars=int(data["max_line_chars"]),
            appeal=_compile(data["appeal"]),
            publisher_voice=_compile(data["publisher_voice"]),
            appeal_triggers=_literals(data["appeal_triggers"]),
            link_block_heads=_compile(data["link_block_heads"]),
            trailing_link_run=int(data["trailing_link_run"]),
        )

    def is_line(self, line: str) -> bool:
        """Whether a whole line is page furniture (widget, byline, link list)."""
        text = line.strip()
        if len(text) <= self.max_line_chars and self.lines.fullmatch(text):
            return True
        # Cheap literal test first: hardly any line holds a trigger.
        return bool(self.contains_triggers.search(text.lower()) and self.contains.search(text))

    def is_appeal(self, line: str) -> bool:
        """Whether a line asks readers for money, subscriptions or sign-ups."""
        if not self.appeal_triggers.search(line.lower()):
            return False  # cheap literal test first: most lines hold no trigger word
        return bool(self.appeal.search(line))

    def is_publisher_voice(self, line: str) -> bool:
        """Whether a line is the publisher speaking of its own journalism."""
        return bool(self.publisher_voice.search(line))

    def strip_block_tail(self, line: str) -> str:
        """After a boilerplate block, drop its last sentence glued to a real paragraph."""
        match = _GLUED.match(line)
        if match is None or len(line) - match.end() < 40:
            return line
        return line[match.end() :].strip()

    def strip_glued(self, line: str) -> str:
        """Drop appeal sentences glued to the start of a real paragraph."""
        if not self.is_appeal(line):
            return line  # the common case: no appeal anywhere in the line
        sentences = _SENTENCE_END.split(line)
        kept = 0
        while kept < len(sentences) - 1 and self.is_appeal(sentences[kept]):
            kept += 1
        if kept == 0:
            return line
        return " ".join(sentences[kept:]).strip()

    def mark(self, lines: list[str]) -> list[bool]:
        """Flag each line that is boilerplate, using its neighbours for weak signs and blocks."""
        strong = [self.is_line(line) or self._is_appeal_paragraph(line) for line in lines]
        flags = list(strong)
        for i, line in enumerate(lines):
            # Publisher voice counts only inside an appeal box: next to a flagged line.
            beside = (i > 0 and flags[i - 1]) or (i + 1 < len(lines) and strong[i + 1])
            if not flags[i] and beside and self.is_publisher_voice(line):
                flags[i] = True
        self._mark_link_blocks(lines, flags)
        self._mark_trailing_links(lines, flags)
        return flags

    def _mark_link_blocks(self, lines: list[str], flags: list[bool]) -> None:
        """A "Related" or "Most read" heading and the headline-like lines that follow it."""
        for i, line in enumerate(lines):
            if len(line) <= self.max_line_chars and self.link_block_heads.fullmatch(line.strip()):
                flags[i] = True
                j = i + 1
                while j < len(lines) and (flags[j] or _link_like(lines[j])):
                    flags[j] = True
                    j += 1

    def _mark_trailing_links(self, lines: list[str], flags: list[bool]) -> None:
        """A run of short lines with no sentence among them at the end of the text: a link list."""
        run = []
        for i in range(len(lines) - 1, -1, -1):
            if flags[i]:
                continue
            if not _link_like(lines[i]):
                break
            run.append(i)
        if len(run) >= self.trailing_link_run:
            for i in run:
                flags[i] = True

    def _is_appeal_paragraph(self, line: str) -> bool:
        """An appeal line whose every sentence is an appeal or publisher voice."""
        if not self.is_appeal(line):
            return False
        sentences = [s for s in _SENTENCE_END.split(line) if s.strip()]
        appeals = sum(1 for s in sentences if self.is_appeal(s) or self.is_publisher_voice(s))
        # A news paragraph that merely mentions a donation keeps most of its sentences.
        return appeals * 2 > len(sentences) and not self._glued_content(line)

    def _glued_content(self, line: str) -> bool:
        """Whether stripping a glued appeal leaves a real paragraph behind."""
        rest = self.strip_glued(line)
        return rest != line and not self.is_appeal(rest) and len(rest) >= 40


_LINK_TEXT_CHARS = 70
_LINK_TEXT_WORDS = 8
_SENTENCE_CLOSE = (".", "!", "?", "…", '"', "”", "’", ")", ":")
_CLOCK_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")


def _link_like(line: str) -> bool:
    """A line as link lists have them: short, capitalised, no sentence end, not a time."""
    text = line.strip()
    return (
        0 < len(text) <= _LINK_TEXT_CHARS
        and len(text.split()) <= _LINK_TEXT_WORDS
        and (text[0].isupper() or text[0].isdigit())
        and not text.endswith(_SENTENCE_CLOSE)
        and not _CLOCK_TIME.search(text)
    )


DEFAULT_PATTERNS = BoilerplatePatterns.load()
