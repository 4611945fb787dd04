"""Names the entity model missed, where the text itself says what they are.

Evidence about the words around a name, never about the name:

- a run of two or three capitalised words set off by commas or followed by a speech
  verb ("The US ambassador, Rahm Emanuel, said", "Jane Okafor told reporters") or
  right after a person's title ("spokesman Christophe Lemoine") is a person;
- a capitalised word or two after "in", "near", "city of" … that the gazetteer knows
  as a place, small towns included ("buildings in the centre of Wajima"), is a place;
- a line that opens with a name the gazetteer knows as a place and then a date, a news
  agency in brackets or a long dash is a dateline, and the name is a place whatever the
  model took it for (`datelines`: "LONDON 2024-06-01", "PARIS (Reuters) -", "MIAMI --",
  "Kyiv, May 3 -", "SPRINGFIELD, Ill. (AP) -"): wire copy says where it was filed that
  way, and a model trained on sentences reads such a line poorly ("MONTE CARLO
  2024-06-01" as a person);
- a name the article gave a person in full earlier ("Olaf Scholz", then "Scholz left")
  is that person wherever it stands;
- a country in brackets right after a name is a place: results name a competitor's
  country so ("Ana Ruiz (Spain) 12.92", "Red Star (Yugoslavia)").

Runs that the model already covered, or that are common words, are left alone.

Example:
    >>> text = "The US ambassador, Rahm Emanuel, said fires burned in Wajima."
    >>> [(m.type, text[m.start:m.end]) for m in missed(text, [], lambda name: name == "Wajima")]
    [('person', 'Rahm Emanuel'), ('place', 'Wajima')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from streams.enrich.resources import common_words, lexicon, name_particles
from streams.enrich.spans import DATELINE, Mention, Overlaps

_NAME = rf"[A-Z][a-z][\w'’-]*(?: (?:(?:{name_particles()})\s)*[A-Z][a-z][\w'’-]*){{1,2}}"
_PLACE_NAME = r"[A-Z][a-z][\w'’-]*(?: [A-Z][a-z][\w'’-]*)?"
#: A bracket right after a word: "Ana Ruiz (Spain)".
_BRACKETED = re.compile(r"(?<=[A-Za-z.] )\(([A-Z][A-Za-z .'’-]{1,40}?)\)")


def datelines(text: str, is_place: Callable[[str], bool]) -> list[Mention]:
    """The places that open the datelines of `text` (see the module docstring).

    A known place after the comma ("TAVILDARA, Tajikistan 2024-06-01") is one, and it
    vouches for the town before it, known or not.

    >>> datelines("Paris (Reuters) - Rain fell.", lambda name: name == "Paris")
    [Mention(type='place', start=0, end=5)]
    >>> datelines("TAVILDARA, Tajikistan 2024-06-01", lambda name: name == "Tajikistan")
    [Mention(type='place', start=0, end=9), Mention(type='place', start=11, end=21)]
    """
    out = []
    for match in DATELINE.finditer(text):
        region = match.group(2) is not None and is_place(match.group(2))
        if region or is_place(match.group(1)):
            out.append(Mention("place", *match.span(1)))
        if region:
            out.append(Mention("place", *match.span(2)))
    return out


def alternation(words: Iterable[str]) -> str:
    """A pattern matching any of `words`, longest first, shaped as a tree of their letters.

    A flat alternation of thousands of names is tried name by name at every position of
    the text; the tree tries each letter once.

    >>> alternation(["Ann", "Anna", "Bo"])
    '(?:Ann(?:a)?|Bo)'
    >>> re.findall(rf"\\b({alternation(['Ann', 'Anna'])})\\b", "Anna met Ann.")
    ['Anna', 'Ann']
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree)


def _branches(node: dict[str, Any]) -> str:
    parts = []
    for char, child in sorted(node.items()):
        if char:
            run = re.escape(char)
            while len(child) == 1 and "" not in child:  # a chain of single letters
                ((char, child),) = child.items()
                run += re.escape(char)
            parts.append(run + _branches(child))
    if not parts:
        return ""
    if "" in node:  # a word may end here: what follows is optional, tried first
        return "(?:" + "|".join(parts) + ")?"
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    words = lexicon()
    verbs = "|".join(sorted(words["speech_verbs"], key=len, reverse=True))
    titles = "|".join(re.escape(t) for t in sorted(words["person_titles"], key=len, reverse=True))
    speaker = re.compile(rf"(?:(?<=, )|(?<=^))({_NAME})(?:,[^,\n]{{0,60}},)?,? (?:{verbs})\b", re.M)
    titled = re.compile(rf"\b(?:{titles}),? ({_NAME})\b")
    located = re.compile(
        rf"\b(?:in|near|outside|city of|town of|village of|centre of|center of) ({_PLACE_NAME})\b"
    )
    return speaker, titled, located


def missed(
    text: str,
    taken: Sequence[Mention],
    is_place: Callable[[str], bool],
    people: Iterable[str] = (),
    is_country: Callable[[str], bool] | None = None,
) -> list[Mention]:
    """People and places the model missed (see the module docstring); `taken` are its mentions.

    `people` are the names (full, and surnames) the article already gave people;
    `is_country` tells a country, for those in brackets after a name.
    """
    speaker, titled, located = _patterns()
    common = common_words()
    out: list[Mention] = []
    index = Overlaps(list(taken))

    def add(kind: str, match: re.Match[str]) -> None:
        start, end = match.span(1)
        plain = all(word.lower() in common for word in match.group(1).split())
        if not plain and not index.within(start, end):
            out.append(Mention(kind, start, end))
            index.add(out[-1])

    for pattern in (speaker, titled):
        for match in pattern.finditer(text):
            add("person", match)
    for match in located.finditer(text):
        if is_place(match.group(1)):
            add("place", match)
    if is_country is not None:
        for match in _BRACKETED.finditer(text):
            if is_country(match.group(1)):
                add("place", match)
    known = set(people)
    if known:
        pattern = re.compile(r"\b(" + alternation(known) + r")\b(?!['’]?[A-Z])")
        for match in pattern.finditer(text):
            add("person", match)
    return out
