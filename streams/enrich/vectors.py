"""Word vectors for the 50,000 most frequent English words, and a text as one weighted vector.

The vectors are GloVe's (Wikipedia 2014 + Gigaword 5, 100 dimensions, Public Domain
Dedication and License 1.0), stored as int8 with a scale per word
(`data/word_vectors.npz`, built by `streams.dev.topicdata`). A text's vector is the sum of
its words' unit vectors, each weighted a / (a + p(word)) with p from the word's frequency
rank (Zipf's law): frequent words count for little, as in Arora et al.'s "smooth inverse
frequency" sentence embeddings. Their second step is `WordVectors.common_direction`: the
direction every text shares, whatever its subject, which comparisons of texts project out.

Example:
    >>> vectors = WordVectors.load()
    >>> storm, _ = vectors.text_vector("storm floods rain", frozenset())
    >>> match, _ = vectors.text_vector("heavy rainfall and flooding", frozenset())
    >>> other, _ = vectors.text_vector("striker scored a penalty", frozenset())
    >>> bool(cosine(storm, match) > cosine(storm, other))
    True
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from streams.enrich.resources import DATA_DIR
from streams.enrich.tokens import words as _words

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-])*")
#: The `a` of the word weights: a word as frequent as this share of all words weighs 1/2.
SIF_A = 1e-3
#: The common direction is taken from this many of the most frequent words.
COMMON_WORDS = 10_000

Vector = npt.NDArray[np.float32]


def quantise(matrix: Vector) -> tuple[npt.NDArray[np.int8], Vector]:
    """Rows as int8 codes and a float32 scale each (a quarter of the bytes)."""
    scales = (np.abs(matrix).max(axis=1) / 127.0).astype(np.float32)
    scales[scales == 0] = 1.0
    codes = np.round(matrix / scales[:, None]).astype(np.int8)
    return codes, scales


def unit(vector: Vector) -> Vector:
    """`vector` scaled to length 1 (a zero vector stays zero)."""
    scaled: Vector = vector / max(float(np.linalg.norm(vector)), 1e-9)
    return scaled


def without(vector: Vector, direction: Vector) -> Vector:
    """`vector` with its component along the unit `direction` removed."""
    rest: Vector = vector - float(vector @ direction) * direction
    return rest


def cosine(a: Vector, b: Vector) -> float:
    """The cosine of two vectors (0 when either is zero)."""
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norm if norm else 0.0


class WordVectors:
    """Unit word vectors by word, with the weight each word carries in a text."""

    def __init__(self, words: list[str], matrix: Vector) -> None:
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.unit: Vector = (matrix / np.maximum(norms, 1e-9)).astype(np.float32)
        self.index = {word: i for i, word in enumerate(words)}
        share = 1.0 / (np.arange(len(words), dtype=np.float64) + 10.0)  # Zipf's law over ranks
        share /= share.sum()
        self.weight = (SIF_A / (SIF_A + share)).astype(np.float32)

    @classmethod
    def load(cls, path: Path | None = None) -> WordVectors:
        """The shipped vectors (or those at `path`)."""
        with np.load(path or DATA_DIR / "word_vectors.npz") as data:
            matrix = data["codes"].astype(np.float32) * data["scales"][:, None]
            return cls([str(w) for w in data["words"]], matrix)

    def common_direction(self, words: int = COMMON_WORDS) -> Vector:
        """The unit direction shared by all texts: the first singular vector of the weighted words.

        Arora, Liang and Ma ("A simple but tough-to-beat baseline for sentence embeddings",
        ICLR 2017) remove it from sentence vectors: it carries what any text says (syntax,
        frequent words), and left in, it makes unrelated texts alike. They take it from the
        sentences at hand; here it comes from the `words` most frequent words, each
        weighted as it would be in a text, so it is fixed with the shipped vectors.
        """
        weighted = self.unit[:words] * self.weight[:words, None]
        _, _, vt = np.linalg.svd(weighted, full_matrices=False)
        direction: Vector = vt[0].astype(np.float32)
        return direction

    def text_vector(self, text: str, skip: frozenset[str]) -> tuple[Vector, float]:
        """The weighted sum of the word vectors of `text` and the total weight behind it.

        Words in `skip` (function words) and words without a vector do not count.
        """
        return self.counts_vector(word_counts(text), skip)

    def counts_vector(self, counts: Counter[str], skip: frozenset[str]) -> tuple[Vector, float]:
        """`text_vector` of a text whose `word_counts` are `counts`."""
        rows, weights = [], []
        for word, n in counts.items():
            i = self.index.get(word)
            if i is not None and word not in skip:
                rows.append(i)
                weights.append(n * self.weight[i])
        if not rows:
            return np.zeros(self.unit.shape[1], dtype=np.float32), 0.0
        w = np.asarray(weights, dtype=np.float32)
        return w @ self.unit[rows], float(w.sum())


def word_counts(text: str) -> Counter[str]:
    """How often each lower-cased word occurs in `text` (what the topic models count)."""
    return Counter(_words(text.lower(), _WORD))


@cache
def default_vectors() -> WordVectors:
    """The shipped vectors, loaded once per process."""
    return WordVectors.load()
