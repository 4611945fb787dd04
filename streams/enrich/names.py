"""Canonical names for the entity model's mentions: places with ids, organisations, people.

The model says where a name is and what kind it probably is; this layer says which
thing it names, using what ships with the package and what the article said before:

- places resolve through the GeoNames gazetteer (also under their other names,
  "Beograd" is Belgrade) to an id, a country code and coordinates;
- a name the model typed as a person or organisation that is exactly a country is the
  country ("Moldova", "Sri Lanka");
- organisations fold their short forms ("EU" is the European Union);
- a single name that is the surname of a person the article named is that person
  ("Kishida" is Fumio Kishida), whatever type the model gave it;
- in sports coverage a place that is not a country is a team, an organisation, where
  the text says so once: a score after it ("Leicestershire 296"), a result verb after
  it or a word such as "against" before it ("Leicestershire beat Somerset"); then its
  other mentions nearby are the team too, unless "in", "at" or "from" stand before them;
- a table whose rows add up (a league table, won-lost standings, result lines:
  `streams.enrich.standings`) is sports coverage even cut off from its heading, and the
  name leading a league table row or a result line is a side whatever the model typed it
  ("Greenock Morton 3 2 0 1 5 2 6");
- the players of goal lists, team sheets and scorecards in sports coverage are people
  (`streams.enrich.players`);
- a lone capitalised common word at the start of a line ("Extras", "Attendance") is a
  table label, not a name, unless it leads a table row as a side ("Reading 4 1 1 2 5 10 4")
  or is the surname of a person the article named.

Example:
    >>> names = default_names()
    >>> ctx = ArticleContext()
    >>> text = "Fumio Kishida visited Beograd. Kishida met EU envoys."
    >>> names.learn(text, [Mention("person", 0, 13)], ctx)
    >>> [names.resolve(text, m, ctx).name for m in [Mention("person", 0, 13), Mention("place", 22, 29)]]
    ['Fumio Kishida', 'Belgrade']
    >>> names.resolve(text, Mention("organization", 31, 38), ctx).name
    'Fumio Kishida'
    >>> names.resolve(text, Mention("organization", 43, 45), ctx).name
    'European Union'
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from streams.enrich.entities import ArticleContext, Entity, Lexicon, default_lexicon
from streams.enrich.gazetteer import Gazetteer, Place, default_gazetteer
from streams.enrich.players import SportsLines, listed
from streams.enrich.resources import common_words, stopwords
from streams.enrich.spans import DATE_AFTER, Mention, Overlaps
from streams.enrich.standings import fixture_sides, fixtures, row_leads, sports_rows

#: Words before a place that keep it a place even in sports coverage ("in Leeds").
_PLACE_BEFORE = frozenset({"in", "at", "near", "from", "to", "outside", "across", "into", "of", "around"})
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[^\w\n]*$")
#: A word of a person's name: capitalised, perhaps hyphenated or with an apostrophe ("O'Neill").
_PLAIN_NAME = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*")
#: How far back `_before` looks for the word before a mention.
_LOOK_BEHIND = 30
#: A lower-case noun right before a name, perhaps with "of" or a comma: "city of ", "capital, ".
_NOUN_BEFORE = re.compile(r"\b([a-z]+)(?: of)?,? $")
_COMPETITOR = re.compile(r"\b([A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,2}) \(([A-Z][^()\n]{1,40})\)")
#: A player named by initials and a surname, then a figure: "(A. Dale 69, T.O'Gorman 109 not out".
_SCORER = re.compile(r"(?<![\w.])((?:[A-Z]\.\s?){1,3}[A-Z][\w'’-]*[a-z])(?=\s+\d)")
#: A lone word the model took for a person but that names a place this large is the place.
_PERSON_OR_PLACE = 100_000
_FIRST_WORD = re.compile(r"(\w+) +(?=[A-Z])")
_OPENERS = (".", "\n", "-", "–", "—", ":", ";")
_BRACKETED = re.compile(r"\s*\(([^()\n]{2,40})\)")
_WORD_AFTER = re.compile(r"[^\w\n]*([^\W\d_]+)")
_SCORE_AFTER = re.compile(r"[ \t]+\d")


class Names:
    """Resolves mentions to canonical entities; one instance is shared, article state is passed in."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon, common: frozenset[str]) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.common = common
        self.stopwords = stopwords()
        self.places = gazetteer.names()

    def is_country(self, name: str) -> bool:
        """Whether a name is a country (or a nation of one: England, Scotland)."""
        return self._country(name) is not None

    def is_place(self, name: str) -> bool:
        """Whether the gazetteer knows a place by this name, small towns included."""
        return self.gazetteer.lookup(name, place_context=True) is not None

    def sports(self, text: str) -> SportsLines:
        """Which lines of `text` are sports coverage: a cue nearby, a table row that adds up, a schedule."""
        cues = self.lexicon.sports.found_in
        lines = text.split("\n")
        tables = zip(lines, sports_rows(lines), fixtures(lines), strict=True)
        rows = {line for line, row, fixture in tables if row or fixture}
        return SportsLines(text, lambda line: line in rows or cues(line))

    def learn(self, text: str, mentions: list[Mention], ctx: ArticleContext) -> None:
        """Record the people and companies the text names in full, so their short mentions resolve."""
        for mention in mentions:
            name = _surface(text, mention)
            if " " in name and (mention.type == "person" or self._titled(text, mention, name)):
                if self._country(name) is None:
                    ctx.add_person(name, by_first=self._given_first(name))
            elif mention.type == "organization" and name.split()[-1] in self.lexicon.org_words:
                if self.gazetteer.lookup(name.split()[0]) is None:  # not "Seattle" of "Seattle Mariners"
                    ctx.add_company(name)

    def _given_first(self, name: str) -> bool:
        """Whether the first word of a full name may stand alone for a person (`ArticleContext.firsts`).

        Only of a name of plain words (no acronym, no organisation word) whose last word
        is no common English word, so that the model's misreadings of companies and
        bodies as people ("Kelby Cables", "U.N. Council") teach nothing; and not a word
        that is a place or a title ("Jordan" after "Jordan Hale" is still the country).
        """
        words = name.split()
        first = words[0]
        return (
            all(_PLAIN_NAME.fullmatch(word) and word not in self.lexicon.org_words for word in words)
            and words[-1].lower() not in self.common
            and first not in self.lexicon.title_words
            and self.gazetteer.lookup(first) is None
        )

    def teams(self, text: str, mentions: list[Mention], sports: SportsLines) -> frozenset[str]:
        """Names the text uses as sides in sports coverage (see the module docstring)."""
        found = set()
        leads: frozenset[int] | None = None  # found once, and only for a text with sports lines
        for mention in mentions:
            if not sports.at(mention.start):
                continue
            if leads is None:
                leads = row_leads(text) | fixture_sides(text)
            name = _surface(text, mention)
            if mention.start in leads:
                found.add(name)  # "Greenock Morton 3 2 0 1 5 2 6": a side, whatever the model said
            elif self._side(text, mention) and (
                mention.type != "person" or (" " not in name and self.gazetteer.lookup(name))
            ):
                found.add(name)
        return frozenset(name for name in found if self._country(name) is None)

    def _side(self, text: str, mention: Mention) -> bool:
        """A score, a result verb after the mention, or a word such as "against" before it."""
        if _SCORE_AFTER.match(text, mention.end) and not DATE_AFTER.match(text, mention.end):
            return True
        after = _WORD_AFTER.match(text, mention.end)
        if after is not None and after.group(1).lower() in self.lexicon.team_after:
            return True
        before = _before(text, mention)
        return before is not None and before.group(1).lower() in self.lexicon.team_before

    def competitors(self, text: str, sports: SportsLines, taken: list[Mention]) -> list[Mention]:
        """Players the model missed or cut short in sports results: "Jansher Khan (Pakistan) beat ...".

        Also a player named by initials with a figure after ("A. Dale 69") in a scorecard, and
        the players of goal lists and team sheets ("Tomas Varga (31st)", "1 - Piet
        Aas"), whatever the model took them for: a minute or a shirt number is a player's.

        A player's name the model found only part of ("Testud" of "Sandrine Testud") is
        the whole name when it is plain words (`_competitor`); the caller drops the part.
        """
        out = []
        overlaps = Overlaps(taken)
        for match in _COMPETITOR.finditer(text):
            start, end = match.span(1)
            if not sports.at(start) or self._country(match.group(2)) is None:
                continue
            player = Mention("person", start, end)
            parts = overlaps.within(start, end)
            if not parts or (
                all(start <= t.start and t.end <= end and t.end - t.start < end - start for t in parts)
                and self._competitor(text, player, match.group(1))
            ):
                out.append(player)
                overlaps.add(player)
        for match in _SCORER.finditer(text):
            start, end = match.span(1)
            if sports.at(start) and not overlaps.within(start, end):
                out.append(Mention("person", start, end))
                overlaps.add(out[-1])
        return out + listed(text, sports, overlaps)

    def without_nationality(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Places without a leading nationality ("the Russian Black Sea resort of Sochi")."""
        out = []
        for mention in mentions:
            first = _FIRST_WORD.match(text, mention.start, mention.end)
            if mention.type == "place" and first is not None and first.group(1) in self.lexicon.demonyms:
                rest = _surface(text, mention._replace(start=first.end()))
                if self.gazetteer.lookup(rest) or rest.split()[-1] in self.lexicon.geo_words:
                    mention = mention._replace(start=first.end())
            out.append(mention)
        return out

    def vote(self, texts: list[str], found: list[list[Mention]]) -> list[list[Mention]]:
        """One type per name in an article: a name's mentions take the type most of them have.

        The model reads each mention in its own sentence; a name it typed two ways is
        re-typed to the majority ("Spotify" as a company twice and a place once).
        """
        votes: dict[str, Counter[str]] = {}
        for text, mentions in zip(texts, found, strict=True):
            for mention in mentions:
                votes.setdefault(_surface(text, mention), Counter())[mention.type] += 1
        winners = {}
        for name, counts in votes.items():
            (best, top), *rest = counts.most_common()
            if rest and top > rest[0][1]:
                winners[name] = best
        return [
            [m._replace(type=winners.get(_surface(text, m), m.type)) for m in mentions]
            for text, mentions in zip(texts, found, strict=True)
        ]

    def resolve(
        self,
        text: str,
        mention: Mention,
        ctx: ArticleContext,
        sports: SportsLines | None = None,
        teams: frozenset[str] = frozenset(),
    ) -> Entity | None:
        """The entity a mention names, or None when it is no name at all."""
        name = _surface(text, mention)
        if " " not in name and not name.isupper() and name.lower() in self.stopwords:
            return None  # "The", "He" ("US", "WHO" in capitals are names)
        if " " not in name:
            # A surname met in full before is that person even where a common word could
            # open a sentence ("Woods" after "Ann Woods").
            full = ctx.resolve_person(name)
            if full is not None:
                return Entity("person", full)
        if name not in teams and self._label(text, mention, name):
            return None  # but a side leading a table row is one ("Reading 4 1 1 2 5 10 4")
        in_sports = sports is not None and sports.at(mention.start)
        country = self._country(name)
        if country is not None:
            return _place(country)
        if mention.type != "place" and self._placed(text, mention):
            place = self.gazetteer.lookup(name, place_context=True) or self.gazetteer.lookup_other(name)
            return _place(place) if place is not None else Entity("place", name)
        if in_sports and self._competitor(text, mention, name):
            return Entity("person", name)  # "beat Ana Ruiz (Spain) 6-2": a player, whatever the model typed
        if mention.type == "person" and name in ctx.companies:
            return Entity("organization", name)  # "Kelby" after "Kelby Petroleum Corp"
        if mention.type != "person" and name in ctx.firsts and name not in ctx.companies:
            return Entity("person", name)  # "Wang" after "Wang Donghai"
        if mention.type == "person":
            if in_sports and self._plays(text, mention, name, teams):
                return Entity("organization", name)
            return self._person(text, mention, name, in_sports)
        if self._titled(text, mention, name):
            return Entity("person", name)  # "spokesman Christophe Lemoine"
        if mention.type == "organization":
            return Entity("organization", self.lexicon.orgs.get(name, name))
        if in_sports and self._plays(text, mention, name, teams):
            return Entity("organization", name)
        place = self.gazetteer.lookup(name, place_context=True) or self.gazetteer.lookup_other(name)
        return _place(place) if place is not None else Entity("place", name)

    def _plays(self, text: str, mention: Mention, name: str, teams: frozenset[str]) -> bool:
        """Whether the mention names one of the text's `teams` here, not the place ("in Leeds")."""
        return name in teams and not self._located(text, mention)

    def _country(self, name: str) -> Place | None:
        """The country (or nation of one: England, Scotland) a name is, if it is one."""
        place = self.gazetteer.lookup(name)
        return place if place is not None and place.kind in ("country", "nation") else None

    def _person(self, text: str, mention: Mention, name: str, in_sports: bool) -> Entity:
        """A person, unless a lone word that is a known place: a team in sports, else the place."""
        place = None if " " in name else self.gazetteer.lookup(name)
        if place is None or self._titled(text, mention, name):
            return Entity("person", name)
        if in_sports and not self._located(text, mention):
            return Entity("organization", name)  # "Surrey captain Chris Lewis"
        return _place(place) if place.population >= _PERSON_OR_PLACE else Entity("person", name)

    def _titled(self, text: str, mention: Mention, name: str) -> bool:
        """Two or three plain words right after a person's title ("spokesman Christophe Lemoine")."""
        before = _before(text, mention)
        words = name.split()
        return (
            before is not None
            and before.group(1) in self.lexicon.title_words
            and text[before.end(1) : mention.start].strip() == ""
            and 2 <= len(words) <= 3
            and not any(word in self.lexicon.org_words or self.gazetteer.lookup(word) for word in words)
        )

    def _competitor(self, text: str, mention: Mention, name: str) -> bool:
        """Two or three plain words followed by "(Country)": a player in a results line."""
        after = _BRACKETED.match(text, mention.end)
        words = name.split()
        return (
            after is not None
            and self._country(after.group(1)) is not None
            and 2 <= len(words) <= 3
            and not any(self.gazetteer.lookup(word) or word in self.lexicon.org_words for word in words)
        )

    def _placed(self, text: str, mention: Mention) -> bool:
        """Whether a place noun stands right before the mention ("the city of Arbil")."""
        before = _before(text, mention, _NOUN_BEFORE)
        return before is not None and before.group(1) in self.lexicon.place_nouns

    def _located(self, text: str, mention: Mention) -> bool:
        """ "in Leeds", "at Headingley", or a dateline or venue heading a line ("Leicester: ...")."""
        before = _before(text, mention)
        if before is not None and before.group(1).lower() in _PLACE_BEFORE:
            return True
        line_start = text.rfind("\n", 0, mention.start) + 1
        heads_line = text[line_start : mention.start].strip() == ""
        return heads_line and (
            text[mention.end : mention.end + 1] == ":" or bool(DATE_AFTER.match(text, mention.end))
        )

    def _label(self, text: str, mention: Mention, name: str) -> bool:
        """A lone common word opening a line, sentence or clause ("Extras 5").

        Function words ("The") never reach here: `resolve` drops them first.
        """
        if " " in name or name.isupper() or name.lower() not in self.common:
            return False
        before = text[max(0, mention.start - 3) : mention.start].rstrip(" ")
        return not before or before.endswith(_OPENERS)


def _surface(text: str, mention: Mention) -> str:
    return " ".join(text[mention.start : mention.end].split())


def _place(place: Place) -> Entity:
    return Entity("place", place.name, place.id, place.country, place.lat, place.lon)


@cache
def default_names() -> Names:
    """The shared resolver, loaded on first use (gazetteer, lexicon, common words)."""
    return Names(default_gazetteer(), default_lexicon(), common_words())


def _before(text: str, mention: Mention, pattern: re.Pattern[str] = _WORD_BEFORE) -> re.Match[str] | None:
    """`pattern` (by default: a word) ending right before `mention`, within `_LOOK_BEHIND` characters.

    >>> _before("the city of Porthaven", Mention("place", 12, 21)).group(1)
    'of'
    """
    return pattern.search(text, max(0, mention.start - _LOOK_BEHIND), mention.start)
