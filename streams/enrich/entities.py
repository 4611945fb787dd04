"""People, organisations and places in text, by rules over capitalised names.

Names are found from their shape and context (titles, speech verbs, organisation
words, the gazetteer), so people never seen before are found too. Within one
article, short mentions resolve to the full name met earlier ("Putin").

Example:
    >>> ctx = ArticleContext()
    >>> found = extract("Prime Minister Fumio Kishida visited Tokyo. Kishida said aid was coming.", ctx)
    >>> sorted((e.type, e.name, n) for e, n in found.items())
    [('person', 'Fumio Kishida', 2), ('place', 'Tokyo', 1)]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from streams.enrich.gazetteer import Gazetteer, default_gazetteer
from streams.enrich.resources import lexicon, load_toml
from streams.enrich.standings import sports_rows

if TYPE_CHECKING:
    from streams.enrich.iptc import Evidence

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_][\w’'&-]*[^\W_]|[^\W\d_]|[A-Z]\d+")
_POSSESSIVE = re.compile(r"[’']s?$")
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "of", "to", "outside", "across"})
_MAX_NAME_TOKENS = 6
_KNOWN_CACHE_SIZE = 100_000


class Entity(NamedTuple):
    """A tagged name: its type, canonical name and, for places, id and coordinates.

    A named tuple: entities are counted per mention, and its hash and creation run in C.
    """

    type: str
    name: str
    id: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class ArticleContext:
    """What one article has told us so far: full names behind short mentions."""

    persons: dict[str, str] = field(default_factory=dict)  # surname or alias -> full name
    sports: bool = False  # the article is sports coverage: places can name teams
    topics: Evidence | None = None  # what the article's entries so far say about topics

    stems: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # 6-letter stem -> (short, full)
    companies: set[str] = field(default_factory=set)  # first words of companies named in full
    firsts: set[str] = field(default_factory=set)  # first words of people named in full

    def add_company(self, full: str) -> None:
        """ "Caltex Petroleum Corp": a later "Caltex" is the company, not a person."""
        first = full.split()[0]
        if first[:1].isupper() and first != full:
            self.companies.add(first)

    def add_person(self, full: str, *, by_first: bool = False) -> None:
        """Learn a person named in full: a later surname alone is that person.

        With `by_first`, the first word alone is a person too (`firsts`), though not
        merged into the full name: "Nancy" after "Nancy Reagan", and "Wang" after "Wang
        Donghai", whose family name comes first, are people, whatever the model typed.
        """
        parts = full.split()
        if len(parts) >= 2:
            for short in (parts[-1], full):
                if short not in self.persons:
                    self.persons[short] = full
                    self.stems.setdefault(short[:6], []).append((short, full))
            if by_first:
                self.firsts.add(parts[0])

    def resolve_person(self, name: str) -> str | None:
        """The full name a short mention stands for, if the article introduced one."""
        if name in self.persons:
            return self.persons[name]
        if len(name) >= 6:
            # Transliteration variants: Zelensky / Zelenskiy / Zelenskyy.
            for short, full in self.stems.get(name[:6], ()):
                if abs(len(short) - len(name)) <= 2:
                    return full
        return None


_WORD_RUN = re.compile(r"\w+")
_SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")


@dataclass(frozen=True)
class SportsCues:
    """Words and scores that mark sports coverage, each matched as whole words.

    A one-word cue is looked up among the text's word runs, which is what `\bcue\b`
    matches; the others are searched for only when their text occurs. One regex
    alternation of every cue scanned each text position (1.5 % of a worker's samples).

    Example:
        >>> cues = SportsCues.of(["goal", "half-time"])
        >>> [cues.found_in(t) for t in ("A late Goal.", "Goalless", "At half-time", "Won 2-1")]
        [True, False, True, True]
    """

    words: frozenset[str]
    phrases: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def of(cls, cues: list[str]) -> SportsCues:
        lowered = [cue.lower() for cue in cues]
        words = frozenset(cue for cue in lowered if _WORD_RUN.fullmatch(cue))
        phrases = tuple((c, re.compile(rf"\b{re.escape(c)}\b")) for c in lowered if c not in words)
        return cls(words, phrases)

    def found_in(self, text: str) -> bool:
        """Whether `text` has a cue or a score ("2-1") as whole words, in any case."""
        low = text.lower()
        if not self.words.isdisjoint(_WORD_RUN.findall(low)):
            return True
        if any(phrase in low and pattern.search(low) for phrase, pattern in self.phrases):
            return True
        return "-" in low and _SCORE.search(low) is not None


@dataclass(frozen=True)
class Lexicon:
    """The word lists of lexicon.toml and organizations.toml, as sets for lookups."""

    titles: frozenset[str]
    title_words: frozenset[str]
    org_words: frozenset[str]
    connectors: frozenset[str]
    function_words: frozenset[str]
    speech_verbs: frozenset[str]
    demonyms: frozenset[str]
    geo_words: frozenset[str]
    place_nouns: frozenset[str]
    not_acronyms: frozenset[str]
    team_after: frozenset[str]
    team_before: frozenset[str]
    sports: SportsCues
    orgs: dict[str, str]  # mention -> canonical name
    runs: re.Pattern[str]

    @classmethod
    def load(cls, gazetteer: Gazetteer) -> Lexicon:
        lex = lexicon()
        orgs: dict[str, str] = {}
        for canonical, shorts in load_toml("organizations.toml").items():
            orgs[canonical] = canonical
            for short in shorts:
                orgs[short] = canonical
        titles = frozenset(lex["person_titles"])
        connectors = frozenset(lex["connectors"]) | frozenset(lex["name_particles"])
        return cls(
            titles=titles,
            title_words=frozenset(w for t in titles for w in t.split()),
            org_words=frozenset(lex["org_words"]),
            connectors=connectors,
            function_words=frozenset(lex["function_words"]),
            speech_verbs=frozenset(lex["speech_verbs"]),
            demonyms=frozenset(lex["demonyms"]) | gazetteer.demonyms(),
            geo_words=frozenset(lex["geo_words"]),
            place_nouns=frozenset(lex["place_nouns"]),
            not_acronyms=frozenset(lex["not_acronyms"]),
            team_after=frozenset(lex["team_verbs_after"]),
            team_before=frozenset(lex["team_words_before"]),
            sports=SportsCues.of(lex["sports_cues"]),
            orgs=orgs,
            runs=_runs_pattern(connectors),
        )


@cache
def default_lexicon() -> Lexicon:
    """The shared lexicon, loaded on first use."""
    return Lexicon.load(default_gazetteer())


class _Span(NamedTuple):
    tokens: tuple[str, ...]
    before: str  # the word before the span (lower-cased), or ""
    after: str  # the word after the span, or ""
    sentence_start: bool
    start: int = 0  # character offsets of the span in the text
    end: int = 0


def _is_cap(token: str) -> bool:
    return token[0].isupper() or (token[0].isdigit() and token.isupper())


def _split_token(token: str) -> list[str]:
    """'Putin-Trump' -> two names; 'Russia-launched' -> 'Russia'; possessives dropped."""
    token = _POSSESSIVE.sub("", token) if token[-2:] in {"’s", "'s"} or token[-1] in "’'" else token
    if "-" not in token or token.isupper():
        return [token] if token else []
    parts = [p for p in token.split("-") if p]
    if not parts or not parts[0][0].isupper():
        return [token]
    if not all(p[0].isupper() for p in parts):
        return [parts[0]]  # "Kremlin-controlled": the name is the capitalised part
    if parts[-1] in _HYPHEN_TITLES:
        return [token]  # "Secretary-General"
    return parts


_HYPHEN_TITLES = frozenset({"General", "Elect", "elect", "Chief", "President"})


_Piece = tuple[str, bool, int, int]  # token, whether a name cannot run across its left edge, offsets


def _pieces(sentence: str) -> list[_Piece]:
    """Tokens of a sentence, each with whether a name cannot run across its left edge."""
    if sentence.replace(" ", "").isalnum():  # plain words: nothing to tokenise
        return [(m.group(), False, m.start(), m.end()) for m in _PLAIN.finditer(sentence)]
    out: list[_Piece] = []
    prev_end: int | None = None
    prev_cut = False
    for m in _TOKEN.finditer(sentence):
        gap = sentence[prev_end : m.start()] if prev_end is not None else ""
        broken = bool(gap.strip()) or prev_cut
        raw = m.group()
        parts = _split_token(raw)
        at = m.start()
        for j, part in enumerate(parts):
            at = sentence.find(part, at)  # every part is a substring of the token, in order
            out.append((part, broken or j > 0, at, at + len(part)))
            at += len(part)
        # A possessive or a cut compound ("Kremlin-controlled") ends the name.
        prev_end = m.end()
        prev_cut = raw[-2:] in {"’s", "'s"} or (bool(parts) and not raw.endswith(parts[-1]))
    return out


def _continues(pieces: list[_Piece], k: int, lex: Lexicon) -> bool:
    """Whether a name goes on after connectors at `k` ("Ursula von der Leyen")."""
    while k < len(pieces) and pieces[k][0] in lex.connectors and not pieces[k][1]:
        k += 1
    return (
        k < len(pieces)
        and not pieces[k][1]
        and _is_cap(pieces[k][0])
        and pieces[k][0] not in lex.function_words
    )


def _runs_pattern(connectors: frozenset[str]) -> re.Pattern[str]:
    """Runs of capitalised words joined by spaces and connectors: where names can be."""
    # Initials ("U.S.") or a capitalised word. One leading character class, not an
    # alternation, lets the regex engine skip ahead to capitals: 3x faster finditer.
    cap = rf"[{_UPPER}](?:(?<=[A-Z])\.(?:[A-Z]\.)+|[\w’'&.-]*)"
    conn = "|".join(re.escape(c) for c in sorted(connectors, key=len, reverse=True))
    return re.compile(rf"{cap}(?:[ \t\u00a0]+(?:(?:{conn})[ \t\u00a0]+)*{cap})*")  # never across lines


# Capital letters of the Latin, Greek and Cyrillic scripts (names in news are written in them).
_UPPER = "".join(re.escape(chr(c)) for c in range(0x41, 0x530) if chr(c).isupper())


_PUNCT = "\"“”‘’'()[],;:!?.…-–—"
_ABBREVIATIONS = frozenset({"Mr.", "Ms.", "Mrs.", "Dr.", "St.", "Gen.", "Sen.", "Rep.", "Gov."})


def _context(text: str, start: int, end: int) -> tuple[str, str, bool]:
    """The word before a run (lower case), the word after it, and whether a sentence starts there."""
    prefix = text[max(0, start - 40) : start]
    words_before = prefix.rsplit(None, 1)  # the last word is all we need
    last = words_before[-1] if words_before else ""
    tail = prefix.rstrip(" \t\"“‘'(")
    at_start = (
        start == 0
        or not tail
        or tail[-1] == "\n"
        or (tail[-1] in ".!?" and last not in _ABBREVIATIONS and not _INITIALS.fullmatch(last))
    )
    words_after = text[end : end + 40].split(None, 1)
    after = words_after[0].strip(_PUNCT) if words_after else ""
    return ("" if at_start else last.strip(_PUNCT).lower()), after, at_start


_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_PLAIN = re.compile(r"\S+")


def _spans(text: str, lex: Lexicon) -> list[_Span]:
    """Runs of capitalised words, with connectors inside, anywhere in a text."""
    spans: list[_Span] = []
    for match in lex.runs.finditer(text):
        before, after, at_start = _context(text, *match.span())
        word = match.group()
        if word.isalnum():  # one plain word, the common case
            if word not in lex.connectors:
                spans.append(_Span((word,), before, after, at_start, *match.span()))
            continue
        spans.extend(_run_spans(_pieces(word), lex, before, after, at_start, match.start()))
    return spans


def _run_spans(
    pieces: list[_Piece], lex: Lexicon, before: str, after: str, at_start: bool, offset: int
) -> list[_Span]:
    """Spans of one run, split where a possessive or a cut compound ends a name."""
    spans: list[_Span] = []
    start = 0
    run: list[str] = []

    def close(end: int) -> None:
        while run and run[-1] in lex.connectors:
            run.pop()
        if run:
            prev = pieces[start - 1][0].lower() if start > 0 else before
            nxt = pieces[end][0] if end < len(pieces) else after
            first, last = pieces[start], pieces[start + len(run) - 1]
            spans.append(
                _Span(tuple(run), prev, nxt, at_start and start == 0, offset + first[2], offset + last[3])
            )
        run.clear()

    for k, (word, broken, _, _) in enumerate(pieces):
        if run and broken:
            close(k)
        if _is_cap(word):
            if not run:
                start = k
            run.append(word)
        elif run and word in lex.connectors and _continues(pieces, k + 1, lex):
            run.append(word)
        elif run:
            close(k)
    if run:
        close(len(pieces))
    return spans


def _strip_leading(tokens: list[str], lex: Lexicon, *, demonyms: bool) -> list[str]:
    """Drop leading function words ("The") and, if asked, nationality words ("Russian")."""
    while tokens and (tokens[0] in lex.function_words or (demonyms and tokens[0] in lex.demonyms)):
        tokens = tokens[1:]
    return tokens


def _split_list(tokens: list[str]) -> list[list[str]]:
    """["Turkey", "and", "South", "Korea"] -> [["Turkey"], ["South", "Korea"]]."""
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token in ("and", "&"):
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def _last_title(tokens: list[str], lex: Lexicon) -> int:
    """Index of the last title word in a span ("Russian President Vladimir Putin" -> 1)."""
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i] in lex.title_words:
            return i
    return -1


class EntityExtractor:
    """Finds entities in text; one instance is shared, per-article state is passed in."""

    def __init__(self, gazetteer: Gazetteer | None = None, lex: Lexicon | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.lex = lex or default_lexicon()
        self._known_cache: dict[tuple[tuple[str, ...], bool, bool], Entity | None] = {}

    def spans(self, text: str) -> list[_Span]:
        """The candidate names of a text (tokenised once, classified per pass)."""
        return _spans(text, self.lex)

    def classify(self, spans: list[_Span], ctx: ArticleContext) -> Counter[Entity]:
        """Entities of a text's spans with their mention counts."""
        found: Counter[Entity] = Counter()
        for span in spans:
            for entity in self._classify(span, ctx):
                found[entity] += 1
        return found

    def located(
        self, spans: list[_Span], ctx: ArticleContext, leads: frozenset[int] = frozenset()
    ) -> list[tuple[Entity, int, int]]:
        """Each entity found with the offsets of its span (narrowed to the name when it is inside).

        `leads`: where a sports table row begins (`standings.row_leads`); a name there is a side.
        """
        out = []
        for span in spans:
            for entity in self._classify(span, ctx, leads):
                out.append((entity, span.start, span.end))
        return out

    def extract(self, text: str, ctx: ArticleContext) -> Counter[Entity]:
        """Entities in `text` with their mention counts."""
        return self.classify(self.spans(text), ctx)

    def is_sports(self, text: str) -> bool:
        """Whether a text reads as sports coverage (scores, matches, leagues, a table that adds up)."""
        return self.lex.sports.found_in(text) or any(sports_rows(text.split("\n")))

    def learn(self, spans: list[_Span], ctx: ArticleContext) -> None:
        """Record the full names of people among `spans`, so short mentions elsewhere resolve."""
        # A one-word span never introduces a full name.
        for entity in self.classify([sp for sp in spans if len(sp.tokens) > 1], ctx):
            if entity.type == "person":
                ctx.add_person(entity.name)

    def _classify(
        self, span: _Span, ctx: ArticleContext, leads: frozenset[int] = frozenset()
    ) -> list[Entity]:
        tokens = list(span.tokens)
        if span.sentence_start or tokens[0] in self.lex.function_words:
            tokens = _strip_leading(tokens, self.lex, demonyms=False)
        if not tokens or len(tokens) > _MAX_NAME_TOKENS:
            return []
        whole = self._known(tokens, span)
        if ctx.sports and (span.start in leads or self._team(tokens, span, whole)):
            return [Entity("organization", " ".join(tokens))]
        if whole is not None:
            return [whole]
        if "and" in tokens or "&" in tokens:
            # Not an organisation's name, so a list: "Turkey and Kazakhstan".
            return [e for part in _split_list(tokens) for e in self._classify_part(part, span, ctx)]
        return self._classify_part(tokens, span, ctx)

    def _team(self, tokens: list[str], span: _Span, whole: Entity | None) -> bool:
        """A place name used as a team: "Liverpool beat Real Madrid", "against Brazil"."""
        if span.after not in self.lex.team_after and span.before not in self.lex.team_before:
            return False
        if whole is not None:
            return whole.type == "place"
        last = self.gazetteer.lookup(tokens[-1])
        return len(tokens) > 1 and last is not None and last.kind == "city"

    def _classify_part(self, tokens: list[str], span: _Span, ctx: ArticleContext) -> list[Entity]:
        cut = _last_title(tokens, self.lex)
        if cut >= 0:
            left = self._classify_plain(tokens[:cut], span, ctx) if cut else []
            right = tokens[cut + 1 :]
            return left + ([self._person(right, ctx)] if right else [])
        if span.before in self.lex.title_words:
            return [self._person(tokens, ctx)]
        return self._classify_plain(tokens, span, ctx)

    def _known(self, tokens: list[str], span: _Span) -> Entity | None:
        """Organisations from the list, organisation-shaped names, and gazetteer places."""
        key = (tuple(tokens), span.before in _PLACE_PREPOSITIONS, span.after in self.lex.org_words)
        try:
            return self._known_cache[key]
        except KeyError:
            pass
        found = self._lookup(tokens, key[1], key[2])
        if len(self._known_cache) >= _KNOWN_CACHE_SIZE:
            self._known_cache.clear()  # names repeat within a news cycle; a full reset is cheap
        self._known_cache[key] = found
        return found

    def _lookup(self, tokens: list[str], place_context: bool, before_org_word: bool) -> Entity | None:
        name = " ".join(tokens)
        if name in self.lex.orgs:
            return Entity("organization", self.lex.orgs[name])
        if (len(tokens) > 1 and any(t in self.lex.org_words for t in tokens[1:])) or (
            tokens[0] in self.lex.org_words and "of" in tokens
        ):
            return Entity("organization", name)
        place = self.gazetteer.lookup(name, place_context=place_context)
        if place is not None and not before_org_word:
            return Entity("place", place.name, place.id, place.country, place.lat, place.lon)
        if len(tokens) > 1 and tokens[-1] in self.lex.geo_words:
            return Entity("place", name)
        return None

    def _classify_plain(self, tokens: list[str], span: _Span, ctx: ArticleContext) -> list[Entity]:
        tokens = _strip_leading(tokens, self.lex, demonyms=True)
        if not tokens:
            return []
        known = self._known(tokens, span)
        if known is not None:
            return [known]
        name = " ".join(tokens)
        if name in self.lex.demonyms or name in self.lex.title_words:
            return []
        full = ctx.resolve_person(name)
        if full is not None:
            return [Entity("person", full)]
        if len(tokens) == 1:
            return self._single(name, span)
        if all(t[0].isupper() and not t.isupper() for t in tokens if t not in self.lex.connectors):
            return [self._person(tokens, ctx)]
        return []

    def _single(self, name: str, span: _Span) -> list[Entity]:
        if name.isupper() and 3 <= len(name) <= 6 and name not in self.lex.not_acronyms:
            return [Entity("organization", name)]
        if span.after in self.lex.speech_verbs and not span.sentence_start:
            # At a sentence start a capitalised word may be a plural noun ("Campaigners said").
            return [Entity("person", name)]
        return []

    def _person(self, tokens: list[str], ctx: ArticleContext) -> Entity:
        name = " ".join(tokens)
        if len(tokens) == 1:
            return Entity("person", ctx.resolve_person(name) or name)
        ctx.add_person(name)
        return Entity("person", name)


_DEFAULT: EntityExtractor | None = None


def extract(text: str, ctx: ArticleContext) -> Counter[Entity]:
    """Entities in `text`, with the shared extractor."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = EntityExtractor()
    return _DEFAULT.extract(text, ctx)
