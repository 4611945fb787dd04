"""An article body split into parts: sibling containers of one class, cut apart by an ad.

Many sites break a long article into several containers that share one class name
(`<div class="body__container">`), with an advert or a promotion row between them. A
main-text extractor picks the best container and stops there, so the article loses its
second half. Read before the extraction (which may prune the tree), the repeated
containers are the body's parts: where the extracted text holds one part whole and none
of another, the missing part's paragraphs are put back after the part before it.

Example:
    >>> from lxml import html
    >>> first, second = "The first half goes on. " * 10, "The second half goes on. " * 10
    >>> page = html.fromstring(
    ...     f"<div><div class='body'><p>{first}</p></div><div class='ad'>Buy now</div>"
    ...     f"<div class='body'><p>{second}</p><p>{second}</p></div></div>"
    ... )
    >>> [line[:15] for line in rejoin([first.strip()], body_parts(page))]
    ['The first half ', 'The second half', 'The second half']
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, NamedTuple

#: Containers a body part may be.
_CONTAINERS = ("div", "section", "article")
#: Elements whose paragraphs are never body text.
_NOT_BODY = frozenset({"aside", "figure", "figcaption", "nav", "footer", "form", "blockquote", "li"})
#: Classes of boxes inside a part that are not its text (pull quotes, share bars, promotions).
_WIDGETS = re.compile(r"share|social|newsletter|related|promo|advert|pullquote|caption|callout", re.I)
#: A paragraph this long counts; shorter ones (a credit, a "Read more") do not.
_MIN_PARAGRAPH = 60
#: How much of a part the extraction must hold for the part to count as taken.
_TAKEN = 0.8
#: Links may make up at most this share of a part's text (teaser lists are mostly links).
_MAX_LINK_SHARE = 0.3
#: A part put back has at least this many paragraphs and characters: a footer's legal line
#: or a cookie notice in a container of the same generic class is not a body's second half.
_MIN_PART_PARAGRAPHS = 2
_MIN_PART_CHARS = 400
#: An article cut into more parts than this is not one: a class this frequent is layout.
_MAX_PARTS = 12
#: Parts are siblings or cousins: their nearest common ancestor is at most this far up.
_MAX_APART = 3

Part = list[str]


def body_parts(root: Any) -> list[list[Part]]:
    """Groups of two or more same-class containers near each other, each with its body
    paragraphs, in page order (a container too far from the one before starts a new group)."""
    by_class: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for element in root.iter(*_CONTAINERS):
        if name := element.get("class"):
            by_class[(element.tag, " ".join(name.split()))].append(element)
    paragraphs: dict[Any, _Paragraph] | None = None  # read once, when some class repeats
    groups = []
    for (_, name), members in by_class.items():
        if not 2 <= len(members) <= _MAX_PARTS or not name or _WIDGETS.search(name):
            continue
        if paragraphs is None:
            paragraphs = _body_paragraphs(root)
        inside = set(members)
        outer = [m for m in members if not any(a in inside for a in m.iterancestors(*_CONTAINERS))]
        for run in _near_runs(outer):
            parts = [_part(member, paragraphs) for member in run]
            if sum(1 for part in parts if part) >= 2:
                groups.append(parts)
    return groups


def _near_runs(members: list[Any]) -> list[list[Any]]:
    """`members` cut where one is not a sibling or cousin of the one before (`_MAX_APART`)."""
    runs: list[list[Any]] = []
    for member in members:
        if runs and _apart(runs[-1][-1], member) <= _MAX_APART:
            runs[-1].append(member)
        else:
            runs.append([member])
    return runs


def _apart(first: Any, second: Any) -> int:
    """How many levels above each element their nearest common ancestor is (the larger)."""
    above = {ancestor: depth for depth, ancestor in enumerate(first.iterancestors(), 1)}
    for depth, ancestor in enumerate(second.iterancestors(), 1):
        if ancestor in above:
            return max(depth, above[ancestor])
    return 1 << 30


def rejoin(lines: list[str], groups: list[list[Part]]) -> list[str]:
    """`lines` (an extracted body) with the parts it left out put back after the part before them.

    A group counts only where the extraction holds one of its parts whole (`_TAKEN`): the
    extractor chose that container as the body, and its siblings are the rest of it.
    """
    out = list(lines)
    for parts in groups:
        have = set(out)
        taken = [_share(part, have) >= _TAKEN for part in parts]
        if not any(taken):
            continue
        at = None  # where the next missing part goes: after the last line of the part before it
        for part, whole in zip(parts, taken, strict=True):
            if not part:
                continue
            if whole:
                at = max(i for i, line in enumerate(out) if line in part) + 1
            elif at is not None and _share(part, have) == 0 and _substantial(part):
                out[at:at] = part
                at += len(part)
    return out


def _substantial(part: Part) -> bool:
    return len(part) >= _MIN_PART_PARAGRAPHS and sum(map(len, part)) >= _MIN_PART_CHARS


def _share(part: Part, have: set[str]) -> float:
    return sum(1 for line in part if line in have) / len(part) if part else 0.0


class _Paragraph(NamedTuple):
    text: str
    #: Characters of its text inside links.
    linked: int
    #: Depth of its nearest aside, figure or widget (-1: none): boxed in any container above it.
    boxed_at: int


def _body_paragraphs(root: Any) -> dict[Any, _Paragraph]:
    """Every `<p>` long enough to count (`_MIN_PARAGRAPH`), read once per page."""
    out = {}
    boxes: dict[Any, bool] = {}  # paragraphs share ancestors: each is looked at once

    def is_box(element: Any) -> bool:
        if (known := boxes.get(element)) is None:
            known = boxes[element] = element.tag in _NOT_BODY or bool(
                _WIDGETS.search(element.get("class") or "")
            )
        return known

    for p in root.iter("p"):
        text = " ".join(p.text_content().split())
        if len(text) < _MIN_PARAGRAPH:
            continue
        ancestors = list(p.iterancestors())
        boxed_at = next((len(ancestors) - 1 - i for i, a in enumerate(ancestors) if is_box(a)), -1)
        linked = sum(len(" ".join(a.text_content().split())) for a in p.iter("a"))
        out[p] = _Paragraph(text, linked, boxed_at)
    return out


def _part(container: Any, paragraphs: dict[Any, _Paragraph]) -> Part:
    """The container's body paragraphs: long `<p>` outside its asides, figures and widgets."""
    depth = sum(1 for _ in container.iterancestors())
    found = [paragraphs[p] for p in container.iter("p") if p in paragraphs]
    found = [p for p in found if p.boxed_at <= depth]
    chars = sum(len(p.text) for p in found)
    linked = sum(p.linked for p in found)
    return [p.text for p in found] if found and linked <= _MAX_LINK_SHARE * chars else []
