"""Line-level segmentation of page text into posts, teaser cards or one article body.

Example:
    >>> segs = segment(["Live: storm hits coast", "09:14", "Roads closed",
    ...                 "Police closed the coast road on Monday.", "10:02", "Power cut",
    ...                 "Ten thousand homes lost power.", "11:30", "Rain eases", "It stopped."])
    >>> [(s.kind, s.headline, s.time and s.time.label) for s in segs]
    [('post', 'Roads closed', '09:14'), ('post', 'Power cut', '10:02'), ('post', 'Rain eases', '11:30')]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, NamedTuple

from streams.split.boilerplate import DEFAULT_PATTERNS, BoilerplatePatterns
from streams.split.learnt import fingerprint
from streams.split.timestamps import TimeLine, parse_time_line

_STRUCTURE = tomllib.loads((Path(__file__).with_name("data") / "structure.toml").read_text("utf-8"))
_SUMMARY = re.compile("|".join(f"(?:{p})" for p in _STRUCTURE["summary_headers"]), re.IGNORECASE)

SegmentKind = Literal["post", "summary", "related", "article"]

_TERMINAL = re.compile(r"[.!;:…]$")
_CLOSERS = "\"'\u201d\u2019)]"
_WORD = re.compile(r"\w+")
_LIVE_TITLE = re.compile(r"\b(live|latest|as it happened|updates?|minute[- ]by[- ]minute)\b", re.I)
# A standfirst this long right under the title is a summary, not a post headline.
_STANDFIRST_CHARS = 90
# Live blogs show several timestamps or many headed posts; articles have few crossheads.
_LIVE_MIN_TIMES = 2
_LIVE_MIN_HEADED = 4


@dataclass
class Segment:
    """One entry's worth of lines, before ids and hashes are attached."""

    kind: SegmentKind
    headline: str | None = None
    body: list[str] = field(default_factory=list)
    time: TimeLine | None = None


class _Line(NamedTuple):
    kind: Literal["time", "head", "body"]
    text: str
    at: int  # position on the page, so gaps left by boilerplate show
    time: TimeLine | None = None


def is_headline_like(line: str) -> bool:
    """A short title line: no sentence-final punctuation, not a fragment of prose."""
    text = line.strip()
    words = len(text.split())
    if (
        not text
        or words > 30
        or len(text) > 200
        or not (text[0].isupper() or text[0].isdigit() or text[0] in "\u2018\u201c'\"")
    ):
        return False
    core = text.rstrip(_CLOSERS)
    if core.endswith("?"):
        return words <= 16
    return not _TERMINAL.search(core)


def _tokens(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def near_duplicate(a: str, b: str) -> bool:
    """Whether two lines say the same (a repeated headline, caption or video title)."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    overlap = len(ta & tb)
    return overlap / len(ta | tb) >= 0.6 or overlap == min(len(ta), len(tb)) >= 4


def _classify(lines: list[tuple[int, str]], reference: datetime | None) -> list[_Line]:
    out = []
    for index, text in lines:
        stamp = parse_time_line(text, reference)
        if stamp is not None:
            out.append(_Line("time", text, index, stamp))
        elif is_headline_like(text):
            out.append(_Line("head", text, index))
        else:
            out.append(_Line("body", text, index))
    return out


def clean_lines(
    lines: list[str],
    title: str | None,
    patterns: BoilerplatePatterns = DEFAULT_PATTERNS,
    learnt: frozenset[str] = frozenset(),
) -> list[tuple[int, str]]:
    """Drop boilerplate lines, a repeated page title and appeals glued to paragraphs.

    `learnt` holds fingerprints of lines this source repeats in many articles.
    Returns the kept lines with their index in `lines`.
    """
    flags = patterns.mark(lines)
    if learnt:
        flags = [flag or fingerprint(line) in learnt for line, flag in zip(lines, flags, strict=True)]
    out = []
    for index, (line, flag) in enumerate(zip(lines, flags, strict=True)):
        if flag or (title and is_headline_like(line) and near_duplicate(line, title)):
            continue
        kept = patterns.strip_glued(line)
        if kept == line and index and flags[index - 1]:
            kept = patterns.strip_block_tail(line)
        if kept:
            out.append((index, kept))
    return out


def _drop_standfirst(items: list[_Line]) -> list[_Line]:
    """A headline-like line right under the title, set off from what follows, is a standfirst."""
    if len(items) < 2 or items[0].kind != "head" or items[0].at != 0:
        return items
    separated = items[1].at - items[0].at > 1  # boilerplate stood between them
    if separated or items[1].kind == "time" or len(items[0].text) >= _STANDFIRST_CHARS:
        return items[1:]
    return items


def _group_heads(heads: list[str]) -> list[list[str]]:
    """Runs of near-duplicate headline lines, in order."""
    groups: list[list[str]] = []
    for head in heads:
        if groups and near_duplicate(groups[-1][0], head):
            groups[-1].append(head)
        else:
            groups.append([head])
    return groups


def _cards(groups: list[list[str]]) -> list[Segment]:
    """Teaser cards: a headline repeated as a caption, then its standfirst lines."""
    cards: list[Segment] = []
    for group in groups:
        if len(group) > 1:
            cards.append(Segment("related", headline=group[0]))
        elif cards:
            cards[-1].body.append(group[0])
    return [card for card in cards if card.body]


def _posts(items: list[_Line]) -> list[Segment]:
    segments: list[Segment] = []
    current: Segment | None = None
    heads: list[str] = []
    stamp: TimeLine | None = None
    for item in items:
        if item.kind == "time":
            current, stamp = None, item.time
            heads = []
        elif item.kind == "head":
            current = None
            heads.append(item.text)
        elif current is not None:
            current.body.append(item.text)
        else:
            groups = _group_heads(heads)
            segments.extend(_cards(groups[:-1]))
            headline = groups[-1][0] if groups else None
            kind: SegmentKind = "summary" if headline and _SUMMARY.match(headline) else "post"
            current = Segment(kind, headline=headline, time=stamp)
            current.body.append(item.text)
            segments.append(current)
            heads, stamp = [], None
    return segments


def _is_live(title: str | None, items: list[_Line], posts: list[Segment]) -> bool:
    times = sum(1 for item in items if item.kind == "time")
    headed = sum(1 for seg in posts if seg.headline)
    return (
        times >= _LIVE_MIN_TIMES
        or headed >= _LIVE_MIN_HEADED
        or bool(title and _LIVE_TITLE.search(title) and headed >= 2)
    )


def _article(title: str | None, items: list[_Line]) -> list[Segment]:
    body = [item.text for item in items if item.kind != "time"]
    stamp = next((item.time for item in items if item.kind == "time"), None)
    return [Segment("article", headline=title, body=body, time=stamp)] if body else []


def segment(
    lines: list[str],
    title: str | None = None,
    reference: datetime | None = None,
    patterns: BoilerplatePatterns = DEFAULT_PATTERNS,
    learnt: frozenset[str] = frozenset(),
) -> list[Segment]:
    """Split page lines into segments; the first line is the title unless `title` is given."""
    raw_lines = [" ".join(line.split()) for line in lines if line.strip()]
    if title is None and raw_lines:
        title = raw_lines[0]
    if raw_lines and title and raw_lines[0] == " ".join(title.split()):
        raw_lines = raw_lines[1:]
    cleaned = clean_lines(raw_lines, title, patterns, learnt)
    items = _drop_standfirst(_classify(cleaned, reference))
    posts = _posts(items)
    if _is_live(title, items, posts):
        return posts
    return _article(title, items)


def one_article(
    lines: list[str],
    title: str | None = None,
    reference: datetime | None = None,
    patterns: BoilerplatePatterns = DEFAULT_PATTERNS,
    learnt: frozenset[str] = frozenset(),
) -> list[Segment]:
    """The lines as one article's body (boilerplate dropped): for pages known to be one article.

    Example:
        >>> lines = ["Storm", "Rain fell.", "Share on X", "It stopped."]
        >>> [(s.kind, s.body) for s in one_article(lines, "Storm")]
        [('article', ['Rain fell.', 'It stopped.'])]
    """
    raw_lines = [" ".join(line.split()) for line in lines if line.strip()]
    if raw_lines and title and raw_lines[0] == " ".join(title.split()):
        raw_lines = raw_lines[1:]
    return _article(title, _classify(clean_lines(raw_lines, title, patterns, learnt), reference))
