"""Whether topic scores mean what they say on real news: `make eval-calibration`.

AG News test items (`make eval-topics`' data, laid out by `../shared/tools/topic_data.py`)
of the three classes that stand for one IPTC top-level topic each (Business 04000000,
Sports 15000000, Sci/Tech 13000000; World accepts six topics, so it is left out). Each
item's title and text go through the shipped topic model in this process
(`streams.enrich.iptc.default_model`, as `newsstream process --no-split` tags a one-entry
article). Printed: per band of the top topic's score, how many items, how often that top
topic is the class's, and the mean score there; the expected calibration error (the
items' share-weighted gap between the two); and the log-loss of the class's topic.
A calibrated model is right about as often as its score says. Nothing is fitted to it.

    python -m bench.topic_calibration [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from pathlib import Path

from bench.evaldata import EVAL_DIR
from streams.enrich.iptc import default_model

CODE = {"business": "04000000", "sports": "15000000", "scitech": "13000000"}
ALIASES = {"sci/tech": "scitech", "sci_tech": "scitech", "sci-tech": "scitech"}
BANDS = 10


def items(data: Path) -> list[tuple[str, str]]:
    """(text, class) of the items of the single-topic classes, in file-name order."""
    labels = json.loads((data / "labels.json").read_text(encoding="utf-8"))
    out = []
    for name, label in sorted(labels.items()):
        cls = ALIASES.get(label.strip().lower(), label.strip().lower())
        if cls in CODE:
            out.append(((data / name).read_text(encoding="utf-8"), cls))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=EVAL_DIR / "agnews")
    ap.add_argument("--limit", type=int, default=0, help="only the first N items (0: all)")
    args = ap.parse_args()
    if not (args.data / "labels.json").is_file():
        raise SystemExit(f"no AG News data in {args.data}: `make eval-topics` says how to fetch it")
    model = default_model()
    tops = model.index.tops
    bands: dict[int, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    loss = 0.0
    chosen = items(args.data)[: args.limit or None]
    for text, cls in chosen:
        probs = model.probabilities(model.evidence(text))
        best = int(probs.argmax())
        score = float(probs[best])
        band = bands[min(int(score * BANDS), BANDS - 1)]
        band[0] += 1
        band[1] += tops[best] == CODE[cls]
        band[2] += score
        loss -= math.log(max(float(probs[tops.index(CODE[cls])]), 1e-9))
    n = len(chosen)
    print(f"{n} AG News items (Business, Sports, Sci/Tech)")
    print("top score   items  right  mean score")
    gap = 0.0
    for b in sorted(bands):
        count, right, total = bands[b]
        gap += abs(right - total)
        span = f"{b / BANDS:.1f}-{(b + 1) / BANDS:.1f}"
        print(f"{span}   {count:6.0f}  {right / count:5.2f}  {total / count:10.2f}")
    figures = {"items": n, "ece": round(gap / n, 3), "log_loss": round(loss / n, 3)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
