"""Near-duplicate evidence of an entry's text: MinHash signatures over word shingles, and LSH band keys.

A text's shingles are its runs of `SHINGLE` words (lower case, letters and digits only),
so a changed headline, byline or boilerplate line touches only the shingles that cross
it. Each shingle is hashed once (CRC-32, stable across processes and machines), and the
signature keeps, for each of `PERMUTATIONS` hash functions (the shingle's hash with a
seed of its own, through the splitmix64 finaliser), the least value over the shingles:
two signatures agree in a position with probability equal to the texts' Jaccard
similarity. (A linear family (a x + b) mod p over 32-bit hashes was tried first: without
enough wrap-around it keeps picking the smallest hash, and unrelated texts came out 0.44
alike.)

The first `BANDS` x `ROWS` positions are cut into `BANDS` bands of `ROWS`; texts that agree
on a whole band share that band's key, so a pair of Jaccard similarity s shares at least
one key with probability 1 - (1 - s^ROWS)^BANDS: 0.996 at s = 0.4, 0.73 at s = 0.2, 0.08 at
s = 0.05. Candidates are then compared over the whole signature.

Example:
    >>> a = signature("The ferry operator said services would resume on Tuesday after talks.")
    >>> b = signature("Ferry operator said services would resume on Tuesday after talks ended.")
    >>> round(similarity(a, b), 1) >= 0.5, bool(set(band_keys(a)) & set(band_keys(b)))
    (True, True)
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import numpy.typing as npt

#: Words per shingle.
SHINGLE = 3
#: Hash functions in a signature (positions).
PERMUTATIONS = 128
#: LSH bands, and signature positions per band (the first BANDS x ROWS positions; the
#: similarity of candidates is estimated over all of them).
BANDS = 32
ROWS = 2

Signature = npt.NDArray[np.uint64]

#: Every position of the signature of a text without words.
EMPTY = np.iinfo(np.uint64).max
# Fixed seeds: signatures made by any worker, any day, compare.
_SEEDS = np.random.default_rng(20261129).integers(0, EMPTY, size=PERMUTATIONS, dtype=np.uint64, endpoint=True)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_WORD = re.compile(r"[^\W_]+")


def shingles(text: str) -> set[bytes]:
    """The text's runs of `SHINGLE` words (a shorter text: its words as one shingle)."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> Signature:
    """The MinHash signature of `text` (all positions at the maximum for a text without words)."""
    hashed = np.fromiter((zlib.crc32(s) for s in shingles(text)), dtype=np.uint64)
    if not len(hashed):
        return np.full(PERMUTATIONS, EMPTY, dtype=np.uint64)
    z = hashed[:, None] ^ _SEEDS[None, :]
    # splitmix64's finaliser; the products wrap modulo 2^64, as they are meant to.
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z ^= z >> _S31
    least: Signature = z.min(axis=0)
    return least


def similarity(a: Signature, b: Signature) -> float:
    """The estimated Jaccard similarity of two texts: the share of positions their signatures agree on."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def band_keys(sig: Signature) -> list[str]:
    """One key per band: `band index:hash of its positions` (16 hex digits)."""
    rows = [row.tobytes() for row in sig[: BANDS * ROWS].reshape(BANDS, ROWS)]
    return [f"{i}:{zlib.crc32(row):08x}{zlib.adler32(row):08x}" for i, row in enumerate(rows)]
