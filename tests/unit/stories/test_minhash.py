"""MinHash signatures estimate Jaccard similarity of word shingles; band keys find the close pairs."""

from __future__ import annotations

import random

import pytest

from streams.stories.minhash import BANDS, band_keys, shingles, signature, similarity

WORDS = (
    "the port council said ferries would sail again on tuesday after winds eased and lorries "
    "queued for hours near the coast while police closed roads and drivers waited for news"
).split()


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(n))


def _jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_the_estimate_is_close_to_the_jaccard_similarity(keep: float) -> None:
    rng = random.Random(int(keep * 10))
    base = _text(rng, 300).split()
    cut = int(len(base) * keep)
    other = " ".join(base[:cut] + _text(rng, len(base) - cut).split())
    exact = _jaccard(" ".join(base), other)
    assert abs(similarity(signature(" ".join(base)), signature(other)) - exact) < 0.12


def test_unrelated_texts_share_almost_nothing() -> None:
    rng = random.Random(3)
    a, b = _text(rng, 200), _text(rng, 200)
    assert similarity(signature(a), signature(b)) < 0.1
    assert len(set(band_keys(signature(a))) & set(band_keys(signature(b)))) <= 1


def test_signatures_are_stable_and_keys_name_their_band() -> None:
    text = "Storm Ida closed the port of Dover on Monday."
    assert (signature(text) == signature(text)).all()
    keys = band_keys(signature(text))
    assert len(keys) == BANDS
    assert [k.split(":")[0] for k in keys] == [str(i) for i in range(BANDS)]


def test_case_and_punctuation_do_not_matter_and_empty_text_matches_nothing() -> None:
    assert (
        similarity(signature("Ferries resume, officials say."), signature("ferries RESUME officials say"))
        == 1.0
    )
    assert shingles("") == set()
    assert similarity(signature(""), signature("ferries resume")) == 0.0
