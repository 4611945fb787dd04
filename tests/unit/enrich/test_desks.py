"""The desk model: words to desks, desks to IPTC topics, and how desks weigh on the concepts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from streams.enrich.desks import Columns, DeskModel, combine, default_desks, desk_words
from streams.enrich.iptc import TopicModel
from streams.enrich.resources import DATA_DIR

TEXTS = {
    "sport": "The striker scored twice as the champions won the league match.",
    "crime": "Police arrested two men after a stabbing, and prosecutors charged them with murder.",
    "arts": "The singer released a new album and will tour with her band next spring.",
    "politics": "The prime minister called an early election after the coalition collapsed in parliament.",
    "economy": "The central bank raised interest rates as inflation climbed and shares fell.",
    "conflict": "Troops shelled the town and rebels shot down a military helicopter.",
}
TOPS = sorted(
    {c["top"] for c in json.loads((DATA_DIR / "iptc_concepts.json").read_text(encoding="utf-8"))["concepts"]}
)


@pytest.fixture(scope="module")
def desks() -> DeskModel:
    return default_desks()


def test_every_iptc_top_level_topic_is_under_exactly_one_label_and_desk(desks: DeskModel) -> None:
    assert desks.topics == TOPS
    assert desks.desks == desks.labels  # each label has its own desk
    columns = desks.columns(TOPS)
    assert set(columns.label) == set(range(len(desks.labels)))
    assert columns.desks.diagonal().all()
    assert 0 < desks.beta and 0 < desks.power <= 1


def test_technology_also_reads_as_the_business_desk_and_not_the_other_way(desks: DeskModel) -> None:
    assert desks.read_as["science"] == ["economy", "science"]
    assert desks.read_as["economy"] == ["economy"]
    assert all(desks.read_as[label] == [label] for label in desks.labels if label != "science")


def test_a_label_without_a_desk_to_read_as_is_refused() -> None:
    logp = np.zeros((1, 1), dtype=np.float32)
    with pytest.raises(ValueError, match="without a desk"):
        DeskModel(["word"], logp, ["one"], {"one": TOPS[:1], "two": TOPS[1:]}, 1.0)


@pytest.mark.parametrize(("desk", "text"), TEXTS.items())
def test_plain_news_reads_like_its_desk(desks: DeskModel, desk: str, text: str) -> None:
    loglik, words = desks.evidence(text)
    assert words > 3
    assert desks.desks[int(np.argmax(loglik))] == desk


def test_function_words_and_single_letters_do_not_count() -> None:
    assert desk_words("The U.S. and a team of the F.B.I. won") == ["team", "won"]


def test_a_text_without_known_words_leaves_the_concepts_alone(desks: DeskModel) -> None:
    loglik, words = desks.evidence("Zzxq wubbalub.")
    assert words == 0
    concepts = np.array([0.6, 0.4], dtype=np.float32)
    columns = Columns(np.array([0, 1]), np.eye(2, dtype=np.bool_))
    assert combine(concepts, loglik, words, columns, desks.beta) is concepts


def test_desks_reweigh_labels_and_length_alone_does_not_sharpen_them() -> None:
    concepts = np.array([0.5, 0.2, 0.3], dtype=np.float32)
    columns = Columns(label=np.array([0, 0, 1]), desks=np.eye(2, dtype=np.bool_))
    loglik = np.array([-10.0, -20.0], dtype=np.float32)
    once = combine(concepts, loglik, 10, columns, 1.0)
    assert once.sum() == pytest.approx(1.0)
    assert once[0] / once[1] == pytest.approx(0.5 / 0.2)  # within a label: the concepts' ratio
    assert once[2] < concepts[2]  # the less likely desk loses
    # The same text twice: the same mean log-likelihood per word, the same probabilities.
    assert combine(concepts, loglik * 2, 20, columns, 1.0) == pytest.approx(once)


def test_power_tempers_the_labels_but_not_the_split_within_one() -> None:
    concepts = np.array([0.5, 0.2, 0.3], dtype=np.float32)
    columns = Columns(label=np.array([0, 0, 1]), desks=np.eye(2, dtype=np.bool_))
    loglik = np.array([-10.0, -20.0], dtype=np.float32)
    sharp, soft = (
        combine(concepts, loglik, 10, columns, 1.0),
        combine(concepts, loglik, 10, columns, 1.0, 0.25),
    )
    assert soft[2] > sharp[2]  # nearer one half between the two labels
    assert soft[0] / soft[1] == pytest.approx(0.5 / 0.2)


def test_labels_that_read_as_the_same_desk_are_told_apart_by_the_concepts() -> None:
    """Two labels whose best desk is the same get the same desk weight: the concepts decide."""
    concepts = np.array([0.3, 0.6, 0.1], dtype=np.float32)
    reads = np.array([[True, False], [True, False], [False, True]])
    columns = Columns(label=np.array([0, 1, 2]), desks=reads)
    probs = combine(concepts, np.array([-10.0, -30.0], dtype=np.float32), 10, columns, 3.0)
    assert probs[1] / probs[0] == pytest.approx(2.0)
    assert probs[2] < 0.01


def test_a_label_that_also_reads_as_another_desk_loses_only_to_its_own_desk() -> None:
    """Technology (label 1) reads as business's desk too; business (label 0) reads only as its own."""
    concepts = np.array([0.5, 0.5], dtype=np.float32)
    columns = Columns(label=np.array([0, 1]), desks=np.array([[True, False], [True, True]]))
    like_business = combine(concepts, np.array([-10.0, -30.0], dtype=np.float32), 10, columns, 3.0)
    assert like_business[0] == pytest.approx(like_business[1])  # not evidence against technology
    like_science = combine(concepts, np.array([-30.0, -10.0], dtype=np.float32), 10, columns, 3.0)
    assert like_science[1] > 0.99  # but evidence against business


def _one_word_desks(word: str, desk_topic: str, beta: float = 2.5) -> DeskModel:
    """Two desks: one knows only `word` and stands for `desk_topic`; the other, everything else."""
    rest = [t for t in TOPS if t != desk_topic]
    logp = np.log(np.array([[0.99, 0.01], [0.01, 0.99]], dtype=np.float32))
    return DeskModel([word, "other"], logp, ["one", "rest"], {"one": [desk_topic], "rest": rest}, beta)


def test_the_topic_model_weighs_its_concepts_by_the_desk_evidence() -> None:
    text = "The striker scored twice as the champions won the league match."
    plain = TopicModel(with_desks=False).classify(text)
    assert plain[0].code == "15000000"
    moved = TopicModel(desks=_one_word_desks("striker", "07000000", beta=20.0)).classify(text)
    assert moved[0].code == "07000000"  # health: what the desk model says, against the concepts


def test_second_level_topics_are_the_concepts_call_alone() -> None:
    """A desk model sure of the top level does not make more sub-topics clear."""
    plain = TopicModel(with_desks=False)
    sure = TopicModel(desks=_one_word_desks("earthquake", "03000000"))
    for text in (
        "The earthquake killed dozens and rescuers searched collapsed buildings for survivors.",
        "An earthquake shook the coast and the government sent aid.",
    ):
        children = {t.code for t in plain.classify(text) if t.parent}
        sure_topics = sure.classify(text)
        assert sure_topics[0].code == "03000000"
        assert sure_topics[0].score >= plain.classify(text)[0].score
        assert {t.code for t in sure_topics if t.parent} <= children


def test_an_articles_desk_evidence_is_the_sum_of_its_entries() -> None:
    model = TopicModel()
    first, second = model.evidence(TEXTS["sport"]), model.evidence(TEXTS["crime"])
    assert first.desk is not None and second.desk is not None
    total = model.evidence(TEXTS["sport"]).scaled(2.0)
    total.add(second)
    assert total.words == pytest.approx(2 * first.words + second.words)
    assert total.desk == pytest.approx(2 * first.desk + second.desk)
