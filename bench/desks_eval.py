"""Topics of full-length real articles against their desk: `make eval-desks`.

65 English news pages of the article-extraction benchmark (`make eval-html`'s data, laid
out by `python -m bench.evaldata html`), each labelled with one of five desks by its
publisher's section in the URL and its headline (`bench/aeb_desks.tsv`: business 15,
entertainment 9, politics 11, sport 13, tech 17). Each page's gold article body goes
through `newsstream process --no-split` as one text file; the top topic must be the
desk's IPTC top-level topic (business 04000000, entertainment 01000000, politics
11000000, sport 15000000, tech 13000000). A small check of whole articles beside AG
News' one-line items; nothing is fitted to it.

    python -m bench.desks_eval [--cmd '.venv/bin/newsstream process --no-split {files}']
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.evaldata import EVAL_DIR

LABELS = Path(__file__).with_name("aeb_desks.tsv")
CODE = {
    "business": "04000000",
    "entertainment": "01000000",
    "politics": "11000000",
    "sport": "15000000",
    "tech": "13000000",
}
DEFAULT_CMD = f"{Path(sys.executable).parent / 'newsstream'} process --no-split {{files}}"


def pages() -> list[tuple[str, str]]:
    """(desk, article body) of every labelled page, in file order."""
    truth = json.loads((EVAL_DIR / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    rules = [
        line.split("\t") for line in LABELS.read_text().splitlines() if line and not line.startswith("#")
    ]
    out = []
    for desk, part in rules:
        found = [page["articleBody"] for page in truth.values() if part in page["url"]]
        if len(found) != 1:
            raise SystemExit(f"{part!r} names {len(found)} pages, not one")
        out.append((desk, found[0]))
    return out


def top_topics(cmd: str, texts: list[str]) -> list[str | None]:
    """The highest-scored top-level topic code the command gives each text (None: no topic)."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, text in enumerate(texts):
            path = Path(tmp) / f"{i:03d}.txt"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        argv = [a for part in shlex.split(cmd) for a in (files if part == "{files}" else [part])]
        lines = subprocess.run(argv, capture_output=True, text=True, check=True).stdout.splitlines()  # noqa: S603
    out: list[str | None] = []
    for line in lines:
        tags = [t for t in json.loads(line)["tags"] if t["type"] == "topic" and not t.get("parent")]
        best = max(tags, key=lambda t: t["score"], default=None)
        out.append(best["id"].removeprefix("medtop:") if best else None)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cmd", default=DEFAULT_CMD)
    args = parser.parse_args(argv)
    if not (EVAL_DIR / "aeb" / "ground-truth.json").exists():
        print(f"no {EVAL_DIR}/aeb: run 'python -m bench.evaldata html --git-dir CLONE/.git'", file=sys.stderr)
        return 2
    labelled = pages()
    got = top_topics(args.cmd, [text for _, text in labelled])
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    wrong: Counter[tuple[str, str | None]] = Counter()
    for (desk, _), code in zip(labelled, got, strict=True):
        totals[desk] += 1
        hits[desk] += code == CODE[desk]
        if code != CODE[desk]:
            wrong[(desk, code)] += 1
    recall = {desk: round(hits[desk] / totals[desk], 3) for desk in sorted(totals)}
    for desk in sorted(totals):
        print(f"{desk:14} {hits[desk]:3d} / {totals[desk]:3d}  {recall[desk]}")
    print("most frequent errors:", ", ".join(f"{d} -> {c}: {n}" for (d, c), n in wrong.most_common(5)))
    figures = {
        "top1": round(sum(hits.values()) / len(labelled), 3),
        "recall": recall,
        "articles": len(labelled),
    }
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
