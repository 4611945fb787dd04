"""The story rule cut by key, so that it runs where entries are keyed by band: probe, answer, decide, settle.

An entry's evidence is a set of keys: its LSH band keys (for copies) and the words of its
names (for the same story). Each key belongs to one partition of the band index
(`partition_of`), so every entry that shares a key with another meets it on the same
partition, whichever worker handled either of them.

1. `probes`: the entry sends one `BandProbe` to every partition holding any of its keys,
   with its signature and text vector.
2. `answer`: a partition looks up each key in its store, keeps the *earlier* entries (by
   record time, then id: two copies crossing on two partitions cannot each find the
   other) within the window, scores them (Jaccard estimate for band keys, text cosine for
   name words), and stores the entry under its keys. Only candidates that pass the
   thresholds travel back.
3. `decide`: the entry's answers together give its `Mark` (the rule of `clusters.py`):
   the best copy, else the closest entry sharing enough name words, else a story of its
   own. A candidate still undecided takes the story its own id would open.
4. `settle`: a copy's or a joining entry's mark is written to every probed partition, so
   later entries join the story (an entry that opened its own story needs no settling:
   an undecided record reads as that story). An entry probed again (a live update, a
   replay) keeps the mark it was settled with.

Stores are mappings (a dict offline; in the stream a Faust table for records and a local
index rebuilt from them for keys); keys `e:<entry id>` hold an entry's record (with its
keys and partition), `b:<band key>` and `n:<word>` the most recent entries under a key.

Example:
    >>> from streams.stories.minhash import signature
    >>> import numpy as np
    >>> rule = Rule()
    >>> store: dict = {}
    >>> vec = np.zeros(100, dtype=np.float32)
    >>> text = "Storm Ida closed the port of Dover on Monday as winds reached 90 mph, the coastguard said."
    >>> first = probes("a:1", 100.0, signature(text), vec, ["dover"], partitions=1)
    >>> decide("a:1", [answer(store, first[0], 0, rule)], rule).duplicate_of is None
    True
    >>> copy = probes("b:1", 160.0, signature(text + " Ferries stopped."), vec, ["dover"], partitions=1)
    >>> decide("b:1", [answer(store, copy[0], 0, rule)], rule).duplicate_of
    'a:1'
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from schemas.messages import BandAnswer, BandProbe, BandSettle, StoryCandidate
from streams.enrich import unit
from streams.stories.minhash import EMPTY, Signature, band_keys, similarity

#: Estimated Jaccard similarity of word shingles from which an entry is a copy.
DUPLICATE = 0.4
#: Cosine of text vectors from which entries naming the same people and places are one story.
SAME_STORY = 0.8
#: Words of names two entries must share to be compared as one story.
SHARED_NAME_WORDS = 2
#: Seconds an entry can be matched (48 hours).
WINDOW = 48 * 3600.0
#: How far below the copy threshold a sketch estimate may be and still be checked in full
#: (about three standard errors: a true copy is missed about once in a thousand).
SKETCH_MARGIN = 0.25
#: Candidates per probe whose records are read (the best by sketch estimate or cosine): the
#: best match is among them, and a probe costs a bounded number of reads.
CHECKED = 8
#: Entries kept per key, the most recent: a common name word ("london") would otherwise
#: gather every entry of the window, and each probe would score them all (with 40, the
#: band agent spent 2.6 ms an entry scanning lists; an older match that shares two name
#: words is still found under the rarer of them).
KEY_CAP = 12


class Store(Protocol):
    """Where a band partition keeps its records and key lists (a dict, or a Faust table)."""

    def get(self, key: str) -> Any: ...

    def __setitem__(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True)
class Rule:
    """The thresholds of the story rule (settings: NEWSSTREAM_STORY_*)."""

    duplicate: float = DUPLICATE
    same_story: float = SAME_STORY
    shared_name_words: int = SHARED_NAME_WORDS
    window: float = WINDOW
    key_cap: int = KEY_CAP


@dataclass(frozen=True)
class Mark:
    """What the rule says about an entry."""

    story_id: str
    duplicate_of: str | None = None
    similarity: float | None = None


def story_id_of(entry_id: str) -> str:
    """The id of the story an entry opens: `s-` and a hash of its id."""
    return "s-" + hashlib.blake2b(entry_id.encode(), digest_size=8).hexdigest()


def partition_of(key: str, partitions: int) -> int:
    """The band-index partition that holds `key` (stable across processes)."""
    return zlib.crc32(key.encode()) % partitions


def probes(
    entry_id: str, at: float, sig: Signature, vector: np.ndarray, names: Iterable[str], partitions: int
) -> dict[int, BandProbe]:
    """One probe per partition that holds any of the entry's band keys or name words."""
    bands: defaultdict[int, list[str]] = defaultdict(list)
    words: defaultdict[int, list[str]] = defaultdict(list)
    # A text without words has the empty signature: it is no copy of anything.
    for key in band_keys(sig) if bool((sig != EMPTY).any()) else ():
        bands[partition_of("b:" + key, partitions)].append(key)
    for word in sorted(set(names)):
        words[partition_of("n:" + word, partitions)].append(word)
    wanted = sorted(set(bands) | set(words))
    signature_text, vector_text = encode_signature(sig), encode_vector(vector)
    return {
        p: BandProbe(
            entry_id=entry_id,
            at=at,
            signature=signature_text,
            vector=vector_text,
            bands=bands.get(p, []),
            names=words.get(p, []),
            expected=len(wanted),
        )
        for p in wanted
    }


def answer(store: Store, probe: BandProbe, partition: int, rule: Rule) -> BandAnswer:
    """What this partition holds for `probe` (earlier entries past the thresholds); stores the entry."""
    record = store.get("e:" + probe.entry_id)
    # An entry probed again keeps its first time: its own later copies stay later.
    at = float(record[0]) if record else probe.at
    order = (at, probe.entry_id)
    copies = _earlier(store, ["b:" + k for k in probe.bands], order, rule)
    shared = _earlier(store, ["n:" + w for w in probe.names], order, rule)
    sig = decode_signature(probe.signature)
    bits = sketch(sig)
    for key in probe.bands:  # with a 16-byte sketch: most candidates are dismissed without a read
        _remember(store, "b:" + key, [probe.entry_id, at, bits], rule)
    vector = vector_hex(probe.vector) if probe.names else ""
    for word in probe.names:  # with the vector: name candidates are scored without their records
        _remember(store, "n:" + word, [probe.entry_id, at, vector], rule)
    if record is None:
        # The keys and partition travel with the record, so a key index can be rebuilt from records.
        store["e:" + probe.entry_id] = [
            at, probe.signature, probe.vector, None, None, None, probe.bands, probe.names, partition
        ]  # fmt: skip
    found_copies, found_names = [], []
    for entry_id in _likely_copies(copies, bits, rule.duplicate - SKETCH_MARGIN):
        other = store.get("e:" + entry_id)
        score = similarity(sig, decode_signature(other[1])) if other else 0.0
        if other and score >= rule.duplicate:
            found_copies.append(_candidate(entry_id, other, round(score, 3)))
    for entry_id, n, score in _close(shared, decode_vector(probe.vector), rule.same_story):
        other = store.get("e:" + entry_id)
        if other:
            found_names.append(_candidate(entry_id, other, round(score, 3), n))
    own = _candidate(probe.entry_id, record, 1.0) if record and record[3] else None
    return BandAnswer(
        entry_id=probe.entry_id,
        partition=partition,
        expected=probe.expected,
        copies=found_copies,
        names=found_names,
        own=own,
    )


def decide(entry_id: str, answers: Sequence[BandAnswer], rule: Rule) -> Mark:
    """The entry's mark from all its answers: its own earlier mark, a copy, the same story, or new."""
    for a in answers:
        if a.own is not None and a.own.story_id:
            return Mark(a.own.story_id, a.own.duplicate_of, a.own.similarity)
    copies = [c for a in answers for c in a.copies]
    if copies:
        best = max(copies, key=lambda c: (c.score, -c.at, c.entry_id))
        return Mark(_story(best), best.duplicate_of or best.entry_id, best.score)
    shared: defaultdict[str, int] = defaultdict(int)
    by_id: dict[str, StoryCandidate] = {}
    for a in answers:
        for c in a.names:
            shared[c.entry_id] += c.shared
            by_id[c.entry_id] = c
    close = [c for i, c in by_id.items() if shared[i] >= rule.shared_name_words]
    if close:
        return Mark(_story(max(close, key=lambda c: (c.score, -c.at, c.entry_id))))
    return Mark(story_id_of(entry_id))


def settle(store: Store, message: BandSettle) -> None:
    """Write an entry's decided mark into its record, for later entries to join its story."""
    record = store.get("e:" + message.entry_id)
    if record is not None and not record[3]:
        store["e:" + message.entry_id] = [
            *record[:3],
            message.story_id,
            message.duplicate_of,
            message.similarity,
            *record[6:],
        ]


def needs_settling(entry_id: str, mark: Mark) -> bool:
    """Whether later entries need `mark` written back: not when it is the story the entry opens.

    An undecided record already reads as the story its own id opens (`_story`), so only
    copies and entries that joined another story are settled: most entries open their own.
    """
    return mark.duplicate_of is not None or mark.story_id != story_id_of(entry_id)


def settlement(entry_id: str, mark: Mark) -> BandSettle:
    """The message that settles `mark` on a band partition."""
    return BandSettle(
        entry_id=entry_id, story_id=mark.story_id, duplicate_of=mark.duplicate_of, similarity=mark.similarity
    )


def _story(c: StoryCandidate) -> str:
    """The candidate's story; an undecided one's is the story its original would open."""
    return c.story_id or story_id_of(c.duplicate_of or c.entry_id)


def _candidate(entry_id: str, record: Sequence[Any], score: float, shared: int = 0) -> StoryCandidate:
    return StoryCandidate(
        entry_id=entry_id,
        at=float(record[0]),
        score=score,
        shared=shared,
        story_id=record[3],
        duplicate_of=record[4],
        similarity=record[5],
    )


def _earlier(store: Store, keys: Iterable[str], order: tuple[float, str], rule: Rule) -> dict[str, list[Any]]:
    """Entries under `keys` earlier than `order` within the window: `[keys shared, *stored extra]`."""
    found: dict[str, list[Any]] = {}
    for key in keys:
        for entry_id, at, *extra in store.get(key) or ():
            if (at, entry_id) < order and order[0] - at <= rule.window:
                seen = found.setdefault(entry_id, [0, *extra])
                seen[0] += 1
    return found


def sketch(sig: Signature) -> str:
    """The lowest bit of every signature position, as hex (b-bit MinHash, 16 bytes).

    Two texts' bits agree with probability r = (1 + s) / 2 for Jaccard similarity s, so
    2 r - 1 estimates s (standard error about 0.09 over 128 bits).
    """
    return np.packbits((sig & np.uint64(1)).astype(np.uint8)).tobytes().hex()


def _likely_copies(found: dict[str, list[Any]], bits: str, least: float) -> list[str]:
    """The `CHECKED` candidates of highest sketch estimate that reach `least` (others are no copies)."""
    if not found:
        return []
    ids = list(found)
    mine = np.unpackbits(np.frombuffer(bytes.fromhex(bits), dtype=np.uint8))
    # Hex joins into one decode (base64 padding would not): one call for all candidates.
    theirs = np.unpackbits(
        np.frombuffer(bytes.fromhex("".join(found[i][1] for i in ids)), dtype=np.uint8)
    ).reshape(len(ids), -1)
    estimates = 2 * (theirs == mine).mean(axis=1) - 1
    best = sorted(zip(estimates, ids, strict=True), key=lambda pair: -pair[0])[:CHECKED]
    return [i for e, i in best if e >= least]


def _close(shared: dict[str, list[Any]], vector: np.ndarray, least: float) -> list[tuple[str, int, float]]:
    """`(entry id, words shared, cosine)` of the candidates whose text cosine is at least `least`."""
    if not shared:
        return []
    ids = list(shared)
    codes = bytes.fromhex("".join(shared[i][1] for i in ids))
    matrix = np.frombuffer(codes, dtype=np.int8).astype(np.float32).reshape(len(ids), -1)
    norms = np.linalg.norm(matrix, axis=1)
    cosines = (matrix @ vector) / np.where(norms > 0, norms, 1.0)
    close = [(i, shared[i][0], float(c)) for i, c in zip(ids, cosines, strict=True) if c >= least]
    return sorted(close, key=lambda found: -found[2])[:CHECKED]


def _remember(store: Store, key: str, item: list[Any], rule: Rule) -> None:
    """Add `[entry id, time, ...]` under `key`, dropping entries past the window and beyond the cap."""
    entry_id, at = item[0], item[1]
    held = [old for old in store.get(key) or () if old[0] != entry_id and at - old[1] <= rule.window]
    held.append(item)
    held.sort(key=lambda old: (old[1], old[0]))
    store[key] = held[-rule.key_cap :]


def vector_hex(text: str) -> str:
    """A vector written by `encode_vector`, as hex (how key lists keep it)."""
    return base64.b64decode(text).hex()


def encode_signature(sig: Signature) -> str:
    """A signature as text: base64 of its little-endian uint64s."""
    return base64.b64encode(sig.astype("<u8").tobytes()).decode()


def decode_signature(text: str) -> Signature:
    """The signature `encode_signature` wrote."""
    return np.frombuffer(base64.b64decode(text), dtype="<u8").astype(np.uint64)


def encode_vector(vector: np.ndarray) -> str:
    """A vector as text: base64 of int8 codes scaled to its largest component (cosines move < 0.002)."""
    top = float(np.abs(vector).max()) if vector.size else 0.0
    codes = np.round(vector / top * 127) if top > 0 else np.zeros(vector.shape)
    return base64.b64encode(codes.astype(np.int8).tobytes()).decode()


def decode_vector(text: str) -> np.ndarray:
    """The direction `encode_vector` wrote, as a unit float32 vector (zero stays zero)."""
    return unit(np.frombuffer(base64.b64decode(text), dtype=np.int8).astype(np.float32))
