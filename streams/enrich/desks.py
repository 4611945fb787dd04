"""Which news desk a text's words point to: Naive Bayes over the Current events portal and news headlines.

Wikipedia's editors file every item of "Portal:Current events" under a heading such as
"Law and crime", "Arts and culture" or "Sports". Counted over about 47,000 items (2002 to
2026), each desk's word frequencies say which desk a text reads like: a multinomial
Naive Bayes over nine desks (`data/desk_words.npz`, built by `streams.dev.deskdata`;
Wikipedia text, CC BY-SA 4.0). The business and science desks also count about 11,000
headlines of the UCI News Aggregator (2014, CC BY 4.0), whose editors file the
technology industry's news under technology, as technology desks do. Each desk is one
label, which stands for one or more IPTC top-level topics. A label's stories may be
filed under more than one desk: the portal files the technology industry's news (a
chip maker's results, a social network's feature) under "Business and economy", where
technology desks file it under technology.
So science and technology reads as the better of its own desk and business's, while
business does not read as science: a text like the science desk's items counts against
business, one like the business desk's items not against technology (`also_filed`).

The IPTC concepts (`streams.enrich.iptc`) say what a text is about; the desks add how
editors file such texts, which the vocabulary alone does not know: a court ruling on a
cabinet minister is politics, a new album by a rapper arts. The two are combined per
label (the portal's heading: a group of IPTC topics) as
p(label) ∝ (p_concepts(label's topics) · exp(beta · mean log-likelihood of its best desk))^power,
and within a label its topics keep the concepts' proportions (`combine`). The mean is
taken over the text's known words so that a long article is not more certain than a
short item for its length alone; `beta` and `power` are fitted on the portal, one era
held out against the other (`streams.dev.deskdata.FOLDS`), for calibrated probabilities.

Example:
    >>> model = DeskModel.load()
    >>> loglik, n = model.evidence("The striker scored twice in the cup final.")
    >>> model.desks[int(loglik.argmax())], n
    ('sport', 5)
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from streams.enrich.resources import DATA_DIR, stopwords
from streams.enrich.vectors import word_counts

Vector = npt.NDArray[np.float32]


def _counted(word: str, skip: frozenset[str]) -> bool:
    return len(word) > 1 and word not in skip


def desk_words(text: str) -> list[str]:
    """The words of `text` the desk model counts: lower-cased, no function words, two letters or more."""
    skip = stopwords()
    return [w for w, n in word_counts(text).items() if _counted(w, skip) for _ in range(n)]


class Columns(NamedTuple):
    """For each topic of a model's order, the index of its label; for each label, the desks it reads as."""

    label: npt.NDArray[np.intp]
    #: Labels x desks: whether a label's stories are filed under the desk.
    desks: npt.NDArray[np.bool_]


class DeskModel:
    """Per desk, the log-probability of each word; the labels (groups of IPTC topics) of each desk.

    A label is what the portal's editors file an item under ("Science and technology"),
    and each label has its own desk (word statistics). A label may also read as other
    labels' desks, where the portal files some of its stories
    (`streams.dev.deskdata.ALSO_FILED_UNDER`); a label with no desk to read as is refused.
    """

    def __init__(
        self,
        words: Sequence[str],
        logp: Vector,  # desks x words
        desks: Sequence[str],
        topics_of_label: Mapping[str, Sequence[str]],
        beta: float,
        power: float = 1.0,
        also_filed: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.index = {word: i for i, word in enumerate(words)}
        #: Words x desks, so that a text's rows are one fancy-indexed slice.
        self.logp: Vector = np.ascontiguousarray(logp.T, dtype=np.float32)
        self.desks = list(desks)
        self.labels = sorted(topics_of_label)
        self._label_of_topic = {
            top: i for i, label in enumerate(self.labels) for top in topics_of_label[label]
        }
        also = also_filed or {}
        #: Label -> the desks it reads as: its own (a desk named like it, if any) and `also_filed`.
        self.read_as = {
            label: sorted({d for d in (label, *also.get(label, ())) if d in self.desks})
            for label in self.labels
        }
        if unread := [label for label, desks in self.read_as.items() if not desks]:
            raise ValueError(f"labels without a desk to read as: {unread}")
        self.beta = beta
        self.power = power
        self._skip = stopwords()

    @classmethod
    def load(cls, path: Path | None = None) -> DeskModel:
        """The shipped model (or the one at `path`)."""
        with np.load(path or DATA_DIR / "desk_words.npz") as data:
            return cls(
                [str(w) for w in data["words"]],
                data["logp"].astype(np.float32),
                [str(d) for d in data["desks"]],
                json.loads(str(data["topics"])),
                float(data["beta"]),
                float(data["power"]),
                json.loads(str(data["also_filed"])),
            )

    @property
    def topics(self) -> list[str]:
        """The IPTC top-level topics the model knows (every one is under one label)."""
        return sorted(self._label_of_topic)

    def evidence(self, text: str) -> tuple[Vector, int]:
        """The summed log-likelihood of `text` under each desk, and how many known words it has."""
        return self.counts_evidence(word_counts(text))

    def counts_evidence(self, counts: Counter[str]) -> tuple[Vector, int]:
        """`evidence` of a text whose `word_counts` are `counts`."""
        skip = self._skip
        rows, times = [], []
        for word, n in counts.items():
            if (i := self.index.get(word)) is not None and _counted(word, skip):
                rows.append(i)
                times.append(n)
        if not rows:
            return np.zeros(len(self.desks), dtype=np.float32), 0
        loglik: Vector = np.asarray(times, dtype=np.float32) @ self.logp[rows]
        return loglik, sum(times)

    def columns(self, tops: Sequence[str]) -> Columns:
        """For topics `tops` (in that order), the index of each one's label, and the desks of each label."""
        desks = np.zeros((len(self.labels), len(self.desks)), dtype=np.bool_)
        for i, label in enumerate(self.labels):
            desks[i, [self.desks.index(d) for d in self.read_as[label]]] = True
        return Columns(np.array([self._label_of_topic[top] for top in tops], dtype=np.intp), desks)


def combine(
    concepts: Vector,
    loglik: Vector,
    words: float,
    columns: Columns,
    beta: float,
    power: float = 1.0,
) -> Vector:
    """Topic probabilities from the concepts' `concepts` and a text's desk evidence.

    A label's probability is its topics' concept probability times its desk weight,
    exp(beta x mean log-likelihood per word of the best desk it reads as), raised to
    `power` and renormalised over the labels: the two models' agreement, tempered into a
    calibrated probability. Within a label, its topics keep the concepts' proportions.
    `loglik` is the text's summed log-likelihood per desk over `words` known words.

    >>> columns = Columns(label=np.array([0, 0, 1]), desks=np.eye(2, dtype=bool))
    >>> probs = combine(np.array([0.5, 0.2, 0.3]), np.array([-10.0, -20.0]), 10, columns, 1.0)
    >>> [round(float(p), 2) for p in probs]
    [0.62, 0.25, 0.14]
    """
    if words <= 0:
        return concepts
    mean = loglik / words
    best = np.where(columns.desks, mean, -np.inf).max(axis=1)  # per label
    labels = len(best)
    mass = np.bincount(columns.label, weights=concepts, minlength=labels)
    logits = power * (np.log(np.maximum(mass, 1e-30)) + beta * (best - best.max()))
    label_probs = np.exp(logits - logits.max())
    label_probs /= label_probs.sum()
    within = concepts / np.maximum(mass[columns.label], 1e-30)
    out: Vector = (label_probs[columns.label] * within).astype(np.float32)
    return out


@cache
def default_desks() -> DeskModel:
    """The shipped desk model, loaded once per process."""
    return DeskModel.load()
