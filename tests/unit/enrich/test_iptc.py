"""IPTC topics from the vocabulary's concepts: probabilities, order, thresholds, second level, context."""

from __future__ import annotations

import numpy as np
import pytest

from streams.enrich.iptc import (
    CHILD_PROBABILITY,
    CHILD_SHARE,
    CLOSEST,
    SECONDARY,
    TITLE_WEIGHT,
    TopicModel,
)


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return TopicModel()


TEXTS = {
    "03000000": "The earthquake killed dozens and rescuers searched collapsed buildings for survivors.",
    "15000000": "The striker scored twice as the champions won the league match 3-1.",
    "04000000": "Shares fell as the central bank raised interest rates and inflation stayed high.",
    "13000000": "The company released a faster processor and new software for its laptops and servers.",
    "07000000": "Doctors warned that the virus was spreading in hospitals as vaccination rates fell.",
}


def test_the_vocabulary_has_seventeen_top_level_topics(model: TopicModel) -> None:
    assert len(model.index.tops) == 17
    assert len(model.index.matrix) > 1000


@pytest.mark.parametrize(("code", "text"), TEXTS.items())
def test_plain_news_gets_its_topic_first(model: TopicModel, code: str, text: str) -> None:
    assert model.classify(text)[0].code == code


def test_probabilities_sum_to_one_and_tags_follow_them(model: TopicModel) -> None:
    for text in TEXTS.values():
        probs = model.probabilities(model.evidence(text))
        assert probs.sum() == pytest.approx(1.0, abs=1e-4)
        topics = model.classify(text)
        tops = [t for t in topics if t.parent is None]
        assert tops[0].score == pytest.approx(float(probs.max()), abs=1e-3)
        assert [t.score for t in tops] == sorted((t.score for t in tops), reverse=True)
        assert all(t.score >= SECONDARY for t in tops[1:])
        assert len(topics) <= 3


def test_a_second_level_topic_names_its_parent_and_scores_below_it(model: TopicModel) -> None:
    found = [t for text in TEXTS.values() for t in model.classify(text) if t.parent]
    assert found
    for text in TEXTS.values():
        topics = model.classify(text)
        for child in (t for t in topics if t.parent):
            assert child.parent == topics[0].code  # only under the first topic
            assert topics[0].score * CHILD_SHARE <= child.score + 1e-3 <= topics[0].score + 1e-3
            assert child.score >= CHILD_PROBABILITY - 1e-3


def test_text_with_no_known_word_gets_no_topic(model: TopicModel) -> None:
    assert model.classify("") == []
    assert model.classify("zxqv blorft") == []


def test_a_short_post_leans_on_its_article(model: TopicModel) -> None:
    article = model.evidence("Premier League live: title race goes to the final day").scaled(TITLE_WEIGHT)
    post = model.evidence("Tributes paid to him")
    article.add(post)
    assert model.topics(post, article)[0].code == "15000000"
    assert model.topics(post)[0].code != "15000000"  # on its own it says something else


def _closest_mean(sims: np.ndarray) -> float:
    """The score of one group, computed plainly: the mean of its CLOSEST best (all, if fewer)."""
    return float(np.sort(sims)[-CLOSEST:].mean())


def test_the_closest_concepts_score_is_the_mean_of_the_three_best(model: TopicModel) -> None:
    sims = model.index.similarities(model.evidence(TEXTS["04000000"]).vector)
    expected = [_closest_mean(sims[g]) for g in model.index.groups]
    assert model.index.top_scores(sims) == pytest.approx(expected, abs=1e-5)
    for top, kids in model.index.children.items():
        plain = [(code, _closest_mean(sims[members])) for code, members in kids]
        codes, scores = model.index.child_scores(sims, top)
        assert codes == [code for code, _ in plain]
        assert list(scores) == pytest.approx([s for _, s in plain], abs=1e-5)


def test_the_direction_all_texts_share_is_left_out(model: TopicModel) -> None:
    # What any text says whatever its subject must not decide which concepts it is near.
    common = model.index.common
    assert abs(float(np.linalg.norm(common)) - 1.0) < 1e-4
    assert np.abs(model.index.matrix @ common).max() < 1e-4
    vector = model.evidence(TEXTS["13000000"]).vector
    shifted = vector + 3.0 * float(np.linalg.norm(vector)) * common
    assert np.allclose(model.index.similarities(shifted), model.index.similarities(vector), atol=1e-5)
