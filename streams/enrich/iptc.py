"""IPTC Media Topics of an entry: its text beside the vocabulary's own concepts, as word vectors.

Every concept of the IPTC Media Topics vocabulary (about 1,100 in force, CC BY 4.0) is
evidence for the top-level topic it is filed under: its label (twice) and definition
become one vector (`streams.enrich.vectors`), without the direction all texts share
(`WordVectors.common_direction`). An entry's vector, without it too, is compared with all of
them; a top-level topic scores the mean cosine of its three closest concepts, and a
softmax with a temperature fitted on the concepts' own texts (leave one out, see
`streams.dev.topicdata`) turns the 17 scores into probabilities that are comparable
across entries. Data: `data/iptc_concepts.json`, `data/word_vectors.npz`.

The concepts say what a text is about; how editors file such a text comes from the desk
model (`streams.enrich.desks`, Naive Bayes over Wikipedia's Current events portal): each
group of topics the portal files under one heading is weighed by how much the text reads
like its desk, and its topics keep the concepts' proportions. `with_desks=False` leaves
the concepts alone.

What comes out, best first:

- the most probable topic, for any entry with a word the vectors know;
- under it, its most probable second-level topic when that child has at least
  `CHILD_SHARE` of the probability among its siblings and the concepts alone make it
  more likely than not (`CHILD_PROBABILITY`: the desks know nothing of sub-topics; its
  score is the top level's probability times its share; `parent` names the top level);
- other top-level topics at or above `SECONDARY` probability, at most `MAX_TOPICS` in all.

An entry of a longer article (a live-blog post) leans on the article: its probabilities
are mixed with the whole article's (its title `TITLE_WEIGHT` times and every entry), its
own counting w / (w + `CONTEXT_WEIGHT`) where w is its own word weight (about its number
of uncommon words). A one-line post takes most of
its topics from the article; a long one mostly keeps its own.

Example:
    >>> [t.code for t in classify("The earthquake death toll rose as rescuers searched the rubble.")][:1]
    ['03000000']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from streams.enrich.desks import DeskModel, combine, default_desks
from streams.enrich.resources import DATA_DIR, stopwords
from streams.enrich.vectors import Vector, WordVectors, default_vectors, unit, without, word_counts

#: A second top-level topic must have at least this probability.
SECONDARY = 0.25
#: A second-level topic is named when it has this share of its top level's probability,
CHILD_SHARE = 0.5
#: ... and when that makes it at least this probable itself (more likely than not).
CHILD_PROBABILITY = 0.5
MAX_TOPICS = 3
#: An entry with this much word weight (about as many uncommon words) counts as much as its article.
CONTEXT_WEIGHT = 12.0
#: An article's title counts this many times in the article's evidence: it says what every
#: entry is about, where a live-blog post covers one turn of the story.
TITLE_WEIGHT = 3.0
#: A top-level topic scores the mean cosine of this many of its closest concepts.
CLOSEST = 3


@dataclass(frozen=True)
class Topic:
    """An IPTC Media Topic with its probability; `parent` is set for a second-level topic."""

    code: str
    name: str
    score: float
    parent: str | None = None

    @property
    def id(self) -> str:
        return f"medtop:{self.code}"

    @property
    def parent_id(self) -> str | None:
        return f"medtop:{self.parent}" if self.parent else None


@dataclass
class Evidence:
    """What a text says about topics: its weighted word vector and the weight behind it."""

    vector: Vector
    weight: float
    #: Its summed log-likelihood under each desk (`streams.enrich.desks`), over `words` words.
    desk: Vector | None = None
    words: float = 0.0
    #: Its cosine with every concept, once computed: the top-level and the second-level
    #: scores both come from it, and an article's are asked for once per entry.
    sims: Vector | None = field(default=None, repr=False, compare=False)
    #: Its top-level probabilities from the concepts alone, once computed: the desks'
    #: combination and the second-level decision both start from them.
    concepts: Vector | None = field(default=None, repr=False, compare=False)

    def scaled(self, factor: float) -> Evidence:
        """This evidence counted `factor` times."""
        desk = None if self.desk is None else self.desk * factor
        return Evidence(self.vector * factor, self.weight * factor, desk, self.words * factor)

    def add(self, other: Evidence) -> None:
        """Fold `other` in (an article's evidence is the sum of its entries')."""
        self.vector = self.vector + other.vector
        self.weight += other.weight
        if other.desk is not None:
            self.desk = other.desk if self.desk is None else self.desk + other.desk
        self.words += other.words
        self.sims = None
        self.concepts = None


class ConceptIndex:
    """The concepts' vectors, grouped by the top-level topic and the second-level one they are under."""

    def __init__(
        self, vectors: WordVectors, concepts: Sequence[dict[str, Any]], generic: Sequence[str]
    ) -> None:
        skip = stopwords() | frozenset(generic)
        #: What every text shares: compared with it left in, "oxygen generator on the space
        #: station" was closest to nuclear power and water supply.
        self.common = vectors.common_direction()
        rows = []
        for concept in concepts:
            text = f"{concept['name']} {concept['name']} {concept['definition']}"
            vector, _ = vectors.text_vector(text, skip)
            rows.append(unit(without(vector, self.common)))
        self.matrix: Vector = np.asarray(rows, dtype=np.float32)
        self.tops: list[str] = sorted({c["top"] for c in concepts})
        self.groups = [np.array([i for i, c in enumerate(concepts) if c["top"] == top]) for top in self.tops]
        self.children = self._children(concepts)
        self._padded = _padded(self.groups, len(concepts))
        self._child_codes = {top: [code for code, _ in kids] for top, kids in self.children.items()}
        self._child_padded = {
            top: _padded([members for _, members in kids], len(concepts))
            for top, kids in self.children.items()
        }

    def _children(self, concepts: Sequence[dict[str, Any]]) -> dict[str, list[tuple[str, np.ndarray]]]:
        """Per top-level topic: each second-level concept with the indices of its subtree."""
        by_code = {c["code"]: c for c in concepts}
        below: dict[str, list[int]] = {}
        for i, concept in enumerate(concepts):
            node = concept
            # Up to the second level, or to the top of a subtree filed under another topic.
            while (up := by_code.get(node.get("parent") or "")) and _same_subtree(up, node):
                node = up
            if node["level"] >= 2:
                below.setdefault(node["code"], []).append(i)
        out: dict[str, list[tuple[str, np.ndarray]]] = {}
        for code, members in below.items():
            out.setdefault(by_code[code]["top"], []).append((code, np.array(members)))
        return out

    def similarities(self, vector: Vector) -> Vector:
        """The cosine of `vector` (less the common direction) with every concept."""
        sims: Vector = self.matrix @ unit(without(vector, self.common))
        return sims

    def top_scores(self, sims: Vector) -> Vector:
        """Per top-level topic, the mean of its `CLOSEST` highest concept similarities `sims`."""
        # One partition over a (topics x largest group) table, padded with -inf, instead
        # of one per topic: every topic has at least CLOSEST concepts.
        return _closest_means(sims, self._padded)

    def child_scores(self, sims: Vector, top: str) -> tuple[list[str], Vector]:
        """The second-level topics under `top`, and the closest-concepts score of each one's subtree."""
        if top not in self.children:
            return [], np.zeros(0, dtype=np.float32)
        return self._child_codes[top], _closest_means(sims, self._child_padded[top])


def _padded(groups: Sequence[np.ndarray], pad: int) -> np.ndarray:
    """The groups' concept indices as one table, rows padded with `pad` (the index of a -inf)."""
    table = np.full((len(groups), max(CLOSEST, *(len(g) for g in groups))), pad)
    for row, group in enumerate(groups):
        table[row, : len(group)] = group
    return table


def _closest_means(sims: Vector, padded: np.ndarray) -> Vector:
    """Per row of `padded`, the mean of its `CLOSEST` highest similarities (all, if fewer).

    One partition over the table instead of one per group: a tenth of the time. The table
    is a fresh copy, so it is partitioned in place (half the time of `np.partition`).
    """
    table = np.append(sims, -np.inf).take(padded)
    table.partition(table.shape[1] - CLOSEST, axis=1)
    best = table[:, -CLOSEST:]
    real = np.isfinite(best)
    if real.all():  # every group has CLOSEST concepts, as every top level has
        full: Vector = (best.sum(axis=1) / CLOSEST).astype(np.float32)
        return full
    means: Vector = (np.where(real, best, 0.0).sum(axis=1) / real.sum(axis=1)).astype(np.float32)
    return means


def _same_subtree(up: dict[str, Any], node: dict[str, Any]) -> bool:
    """Whether `up` is a second-level-or-lower concept filed under `node`'s top level."""
    return bool(up["level"] >= 2 and up["top"] == node["top"])


def _softmax(scores: Vector, temperature: float) -> Vector:
    exp = np.exp((scores - scores.max()) / temperature)
    probs: Vector = (exp / exp.sum()).astype(np.float32)
    return probs


class TopicModel:
    """IPTC topics of texts, from the shipped concepts and word vectors (loaded once)."""

    def __init__(
        self, vectors: WordVectors | None = None, desks: DeskModel | None = None, *, with_desks: bool = True
    ) -> None:
        data = json.loads((DATA_DIR / "iptc_concepts.json").read_text(encoding="utf-8"))
        self.vectors = vectors or default_vectors()
        self.temperature = float(data["temperature"])
        self.index = ConceptIndex(self.vectors, data["concepts"], data["generic_words"])
        self.names = {c["code"]: c["name"] for c in data["concepts"]}
        self._skip = stopwords()
        #: The desk model, or None for the concepts alone (`with_desks=False`).
        self.desks = (desks or default_desks()) if with_desks else None
        self._columns = self.desks.columns(self.index.tops) if self.desks else None

    def evidence(self, text: str) -> Evidence:
        """The evidence of one text (sum it over an article's entries for the article's)."""
        counts = word_counts(text)  # once for both models
        vector, weight = self.vectors.counts_vector(counts, self._skip)
        if self.desks is None:
            return Evidence(vector, weight)
        loglik, words = self.desks.counts_evidence(counts)
        return Evidence(vector, weight, loglik, float(words))

    def _sims(self, evidence: Evidence) -> Vector:
        if evidence.sims is None:
            evidence.sims = self.index.similarities(evidence.vector)
        return evidence.sims

    def concept_probabilities(self, evidence: Evidence) -> Vector:
        """The probability of each top-level topic from the concepts alone (`index.tops` order)."""
        if evidence.concepts is None:
            evidence.concepts = _softmax(self.index.top_scores(self._sims(evidence)), self.temperature)
        return evidence.concepts

    def probabilities(self, evidence: Evidence) -> Vector:
        """The probability of each top-level topic (`index.tops` order), desks included."""
        probs = self.concept_probabilities(evidence)
        if self.desks is None or self._columns is None or evidence.desk is None:
            return probs
        desks = self.desks
        return combine(probs, evidence.desk, evidence.words, self._columns, desks.beta, desks.power)

    def classify(self, text: str, article: Evidence | None = None) -> list[Topic]:
        """The topics of `text`, best first; `article` is its whole article's evidence, if any."""
        return self.topics(self.evidence(text), article)

    def topics(self, own: Evidence, article: Evidence | None = None) -> list[Topic]:
        """The topics of a text given its evidence (`evidence(text)`), best first."""
        lean = article is not None and article.weight > own.weight
        if own.weight == 0 and not lean:
            return []
        probs = self._mixed(self.probabilities, own, article if lean else None)
        # The desks say how editors file a story, nothing about its sub-topic: whether a
        # second level is clear is the concepts' call alone.
        concepts = self._mixed(self.concept_probabilities, own, article if lean else None)
        return self._chosen(probs, concepts, own if own.weight else article)

    def _mixed(
        self, probabilities: Callable[[Evidence], Vector], own: Evidence, article: Evidence | None
    ) -> Vector:
        """`probabilities` of `own`, mixed with the `article`'s when it leans on it (`CONTEXT_WEIGHT`)."""
        probs = probabilities(own) if own.weight else np.zeros(len(self.index.tops), np.float32)
        if article is not None:
            share = own.weight / (own.weight + CONTEXT_WEIGHT)
            probs = share * probs + (1 - share) * probabilities(article)
        return probs

    def _chosen(self, probs: Vector, concepts: Vector, evidence: Evidence | None) -> list[Topic]:
        order = [int(i) for i in np.argsort(-probs)]
        best = order[0]
        top = self.index.tops[best]
        topics = [Topic(top, self.names[top], round(float(probs[best]), 3))]
        # A share is at most 1: when the concepts give the top level less than
        # CHILD_PROBABILITY, no child can be clear, and scoring the children is skipped.
        child = None
        if evidence is not None and float(concepts[best]) >= CHILD_PROBABILITY:
            child = self._child(top, evidence)
        if child is not None and float(concepts[best]) * child[1] >= CHILD_PROBABILITY:
            code, share = child
            topics.append(Topic(code, self.names[code], round(float(probs[best]) * share, 3), parent=top))
        for i in order[1:]:
            if probs[i] < SECONDARY or len(topics) >= MAX_TOPICS:
                break
            code = self.index.tops[i]
            topics.append(Topic(code, self.names[code], round(float(probs[i]), 3)))
        return topics

    def _child(self, top: str, evidence: Evidence) -> tuple[str, float] | None:
        """The clear second-level topic under `top` and its share, or None."""
        codes, scores = self.index.child_scores(self._sims(evidence), top)
        if not codes:
            return None
        shares = _softmax(scores, self.temperature)
        best = int(np.argmax(shares))
        return (codes[best], float(shares[best])) if shares[best] >= CHILD_SHARE else None


@cache
def default_model() -> TopicModel:
    """The shared topic model, loaded on first use."""
    return TopicModel()


def classify(text: str, article: Evidence | None = None) -> list[Topic]:
    """Topics of `text` with the shared model."""
    return default_model().classify(text, article)
