"""The keyed steps of the story rule: what partitions answer, and how answers decide."""

from __future__ import annotations

from typing import Any

import numpy as np

from schemas.messages import BandAnswer, StoryCandidate
from streams.stories import (
    Rule,
    answer,
    decide,
    partition_of,
    probes,
    settle,
    settlement,
    signature,
    story_id_of,
)
from streams.stories.matching import (
    SKETCH_MARGIN,
    _likely_copies,
    decode_signature,
    decode_vector,
    encode_signature,
    encode_vector,
    sketch,
)

RULE = Rule()
TEXT = (
    "Engineers closed the Tamar Bridge on Wednesday after an inspection found a crack in a steel "
    "hanger, and traffic was diverted through Gunnislake for at least a week."
)
COPY = "By Staff. " + TEXT + " Buses will run every thirty minutes."
VEC = np.ones(100, dtype=np.float32) / 10


def _mark(stores: list[dict[str, Any]], entry_id: str, at: float, text: str, names: list[str]) -> Any:
    """Probe, answer, decide and settle across `stores`, as the stream does."""
    sent = probes(entry_id, at, signature(text), VEC, names, len(stores))
    answers = [answer(stores[p], probe, p, RULE) for p, probe in sent.items()]
    mark = decide(entry_id, answers, RULE)
    for p in sent:
        settle(stores[p], settlement(entry_id, mark))
    return mark


def test_probes_cover_every_key_once_on_its_own_partition() -> None:
    sent = probes("a:1", 1.0, signature(TEXT), VEC, ["tamar", "bridge"], partitions=4)
    bands = [b for probe in sent.values() for b in probe.bands]
    assert len(bands) == len(set(bands)) == 32
    for p, probe in sent.items():
        assert all(partition_of("b:" + b, 4) == p for b in probe.bands)
        assert all(partition_of("n:" + w, 4) == p for w in probe.names)
        assert probe.expected == len(sent)


def test_a_text_without_words_sends_no_band_keys() -> None:
    assert probes("a:1", 1.0, signature(""), VEC, [], partitions=4) == {}


def test_the_marks_do_not_depend_on_how_many_partitions_hold_the_keys() -> None:
    for partitions in (1, 3, 8):
        stores: list[dict[str, Any]] = [{} for _ in range(partitions)]
        first = _mark(stores, "a:1", 100.0, TEXT, ["tamar", "bridge"])
        copy = _mark(stores, "b:1", 160.0, COPY, ["tamar", "bridge"])
        assert first.duplicate_of is None and first.story_id == story_id_of("a:1")
        assert (copy.duplicate_of, copy.story_id) == ("a:1", first.story_id), partitions


def test_a_later_entry_is_never_the_original_of_an_earlier_one() -> None:
    # The copy's probe reaches a partition before its original's (two workers, crossing).
    store: dict[str, Any] = {}
    later = probes("b:1", 160.0, signature(COPY), VEC, [], 1)[0]
    earlier = probes("a:1", 100.0, signature(TEXT), VEC, [], 1)[0]
    answer(store, later, 0, RULE)
    found = answer(store, earlier, 0, RULE)
    assert found.copies == []


def test_a_copy_of_an_undecided_entry_takes_the_story_its_original_would_open() -> None:
    store: dict[str, Any] = {}
    answer(store, probes("a:1", 100.0, signature(TEXT), VEC, [], 1)[0], 0, RULE)  # not settled yet
    found = answer(store, probes("b:1", 160.0, signature(COPY), VEC, [], 1)[0], 0, RULE)
    mark = decide("b:1", [found], RULE)
    assert (mark.story_id, mark.duplicate_of) == (story_id_of("a:1"), "a:1")


def test_an_entry_probed_again_keeps_its_mark() -> None:
    stores: list[dict[str, Any]] = [{}, {}]
    first = _mark(stores, "a:1", 100.0, TEXT, ["tamar"])
    copy = _mark(stores, "b:1", 160.0, COPY, ["tamar"])
    # The original's live update comes later than its copy: it must not become a copy of it.
    again = _mark(stores, "a:1", 900.0, TEXT + " Update: reopened.", ["tamar"])
    assert again == first and copy.duplicate_of == "a:1"


def test_same_story_needs_enough_shared_name_words_across_partitions() -> None:
    def candidate(shared: int) -> StoryCandidate:
        return StoryCandidate(entry_id="a:1", at=1.0, score=0.9, shared=shared, story_id="s-x")

    halves = [BandAnswer(entry_id="b:1", partition=p, expected=2, names=[candidate(1)]) for p in (0, 1)]
    assert decide("b:1", halves, RULE).story_id == "s-x"  # one word on each of two partitions
    assert decide("b:1", halves[:1], RULE).story_id == story_id_of("b:1")


def test_entries_past_the_window_are_neither_found_nor_kept_under_a_key() -> None:
    store: dict[str, Any] = {}
    answer(store, probes("a:1", 0.0, signature(TEXT), VEC, ["tamar"], 1)[0], 0, RULE)
    found = answer(store, probes("b:1", RULE.window + 1, signature(TEXT), VEC, ["tamar"], 1)[0], 0, RULE)
    assert found.copies == [] and found.names == []
    assert [item[:2] for item in store["n:tamar"]] == [["b:1", RULE.window + 1]]


def test_a_key_keeps_only_its_most_recent_entries() -> None:
    store: dict[str, Any] = {}
    rule = Rule(key_cap=3)
    for i in range(5):
        answer(store, probes(f"e:{i}", float(i), signature(f"text {i}"), VEC, ["london"], 1)[0], 0, rule)
    assert [pair[0] for pair in store["n:london"]] == ["e:2", "e:3", "e:4"]


def test_signatures_and_vectors_survive_their_text_form() -> None:
    sig = signature(TEXT)
    assert np.array_equal(decode_signature(encode_signature(sig)), sig)
    vec = np.random.default_rng(1).normal(size=100).astype(np.float32)
    vec /= np.linalg.norm(vec)
    assert float(vec @ decode_vector(encode_vector(vec))) > 0.999
    assert not decode_vector(encode_vector(np.zeros(100, dtype=np.float32))).any()


def test_the_sketch_estimates_similarity_and_dismisses_unrelated_texts() -> None:
    near, far = (
        signature(COPY),
        signature("Rates were held at four per cent by the central bank on Thursday."),
    )
    found = {"near": [1, sketch(near)], "far": [1, sketch(far)]}
    assert _likely_copies(found, sketch(signature(TEXT)), RULE.duplicate - SKETCH_MARGIN) == ["near"]
