"""Varied synthetic news articles for benchmarks: live blogs and ordinary articles.

Text is generated from templates and word lists written for newsstream (no real
articles), in the shapes scrapers deliver: title, standfirst, boilerplate, timestamps,
headlines, several paragraphs per post, footer furniture.

Example:
    >>> gen = Synth(seed=1)
    >>> raw = gen.liveblog(posts=11)
    >>> 4000 < len(raw.content) < 9000
    True
"""

from __future__ import annotations

import random

from schemas.messages import RawArticle

FIRST = [
    "Amira",
    "Tomas",
    "Helena",
    "Kwame",
    "Lucia",
    "Ravi",
    "Ingrid",
    "Mateo",
    "Yuki",
    "Olusegun",
    "Petra",
    "Samir",
    "Claire",
    "Dmitri",
    "Ana",
    "Jonas",
    "Fatima",
    "Liam",
    "Sofia",
    "Hiro",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Castillo",
    "Brennan",
    "Novak",
    "Haddad",
    "Sato",
    "Kowalski",
    "Mensah",
    "Fischer",
    "Alvarez",
    "Petrov",
    "Nakamura",
    "Dubois",
    "Silva",
    "Andersen",
    "Rossi",
]
ROLES = [
    "foreign minister",
    "spokesperson",
    "chief executive",
    "prime minister",
    "mayor",
    "coach",
    "president",
    "economy minister",
    "police chief",
    "union leader",
]
ORGS = [
    "Ministry of Transport",
    "National Water Agency",
    "Harbour Energy Group",
    "Central Statistics Office",
    "European Commission",
    "United Nations",
    "Red Cross",
    "Federal Reserve",
    "World Health Organization",
    "Northern Rail Company",
    "Civil Protection Authority",
    "Riverside Football Club",
]
PLACES = [
    "Lisbon",
    "Nairobi",
    "Manila",
    "Warsaw",
    "Toronto",
    "Athens",
    "Osaka",
    "Lagos",
    "Valencia",
    "Brazil",
    "Germany",
    "Kenya",
    "India",
    "Canada",
    "Ukraine",
    "Japan",
    "Mexico",
    "Norway",
]
TOPICS = {
    "disaster": ["the flood waters", "rescue teams", "the earthquake", "emergency shelters", "the wildfire"],
    "politics": ["the coalition talks", "the election result", "the new government", "the parliament vote"],
    "economy": ["the interest rate decision", "quarterly profits", "the trade deal", "energy prices"],
    "sport": ["the cup final", "the transfer window", "the title race", "the opening match"],
    "health": ["the vaccine programme", "hospital waiting lists", "the outbreak", "the new clinic"],
    "climate": ["carbon emissions", "the heatwave", "renewable energy targets", "the drought"],
}
VERBS = ["said", "told reporters", "warned", "confirmed", "announced", "argued"]
CLAUSES = [
    "{topic} would dominate the coming week",
    "officials in {place} were preparing for a difficult few days",
    "talks with the {org} would resume on {day}",
    "about {n} people had been affected so far",
    "the figures released by the {org} showed a rise of {n} per cent",
    "{topic} had been discussed at length with partners in {place}",
    "nobody expected {topic} to be settled before {day}",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
BOILER_TOP = ["Key events", "Show key events only", "Please turn on JavaScript to use this feature"]
BOILER_END = ["Most viewed", "Sign up to our morning newsletter", "Reuse this content", "Comments"]


class Synth:
    """A seeded generator: the same seed gives the same articles."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
        self.count = 0

    def _person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def _sentence(self, topic: str) -> str:
        r = self.rng
        clause = r.choice(CLAUSES).format(
            topic=r.choice(TOPICS[topic]),
            place=r.choice(PLACES),
            org=r.choice(ORGS),
            day=r.choice(DAYS),
            n=r.randint(3, 900),
        )
        who = f"{self._person()}, the {r.choice(ROLES)}," if r.random() < 0.5 else f"The {r.choice(ORGS)}"
        return f"{who} {r.choice(VERBS)} that {clause}."

    def _paragraph(self, topic: str, sentences: int) -> str:
        return " ".join(self._sentence(topic) for _ in range(sentences))

    def _headline(self, topic: str) -> str:
        r = self.rng
        subject = r.choice(TOPICS[topic])
        return f"{r.choice(PLACES)} braces for {subject.removeprefix('the ')} as {r.choice(LAST)} speaks"

    def liveblog(self, posts: int = 11) -> RawArticle:
        """A timestamped live blog of `posts` posts (about 6 KB at 11 posts)."""
        self.count += 1
        topic = self.rng.choice(list(TOPICS))
        lines = [f"{self._headline(topic)} – live updates", self._paragraph(topic, 1)[:-1], *BOILER_TOP]
        minute = 23 * 60
        for _ in range(posts):
            minute -= self.rng.randint(5, 40)
            lines += [f"{minute // 60:02d}:{minute % 60:02d}", self._headline(topic)]
            lines += [self._paragraph(topic, 2) for _ in range(self.rng.randint(2, 3))]
        lines += BOILER_END
        return RawArticle(
            source=f"synth-{self.count % 7}", content="\n".join(lines), article_id=f"live-{self.count}"
        )

    def article(self) -> RawArticle:
        """An ordinary article: title, byline, date, six paragraphs, footer."""
        self.count += 1
        topic = self.rng.choice(list(TOPICS))
        lines = [
            self._headline(topic),
            "Share on Facebook",
            "By our correspondent",
            f"{self.rng.randint(1, 28)} March 2025",
        ]
        lines += [self._paragraph(topic, 2) for _ in range(6)] + BOILER_END
        return RawArticle(
            source=f"synth-{self.count % 7}", content="\n".join(lines), article_id=f"art-{self.count}"
        )

    def results_page(self, kb: int = 150) -> RawArticle:
        """A sports round-up of `kb` KB: result lines, each with its goal list.

        Thousands of names in a page: the case where checks of every name against every
        other become quadratic.
        """
        self.count += 1
        r = self.rng
        lines, size = ["Soccer results and scorers on Saturday:"], 0
        while size < kb * 1000:
            home, away = r.sample(LAST, 2)
            goals = ", ".join(f"{self._person()} ({r.randint(1, 90)}th)" for _ in range(r.randint(1, 3)))
            lines += [f"{home} {r.randint(0, 4)} {away} {r.randint(0, 4)}", f"Scorers: {home} - {goals}"]
            size += len(lines[-1]) + len(lines[-2]) + 2
        return RawArticle(
            source="synth-results", content="\n".join(lines), article_id=f"results-{self.count}"
        )

    def mix(self, n: int, live_share: float = 0.6) -> list[RawArticle]:
        """`n` articles, about `live_share` of them live blogs."""
        return [
            self.liveblog(self.rng.randint(6, 14)) if self.rng.random() < live_share else self.article()
            for _ in range(n)
        ]
