"""Lay out the public evaluation data of `make eval-*` outside the repository (never committed).

Each data set comes from a public git repository; clone it (or fetch it) anywhere and
point this at its git directory:

    git clone https://github.com/ZhixiuYe/HSCRF-pytorch /tmp/hscrf
    python -m bench.evaldata ner --git-dir /tmp/hscrf/.git            # CoNLL-2003 eng.testa
    git clone https://github.com/scrapinghub/article-extraction-benchmark /tmp/aeb
    python -m bench.evaldata html --git-dir /tmp/aeb/.git             # 181 real news pages (and eval-desks)
    git clone https://github.com/suuuch/TransformerClassification /tmp/agnews
    python -m bench.evaldata topics --git-dir /tmp/agnews/.git        # AG News test items

The data lands in $NEWSSTREAM_EVAL_DIR (default ~/.cache/newsstream-eval): `eng.testa`,
`aeb/` (ground-truth.json and html/ID.html), `agnews/` (one text per item and labels.json,
laid out by ../shared/tools/topic_data.py). Their licences are their owners' (CoNLL-2003
and AG News: research use); they are read for evaluation only.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
from pathlib import Path

EVAL_DIR = Path(os.environ.get("NEWSSTREAM_EVAL_DIR") or Path.home() / ".cache" / "newsstream-eval")
SHARED_TOOLS = Path(__file__).resolve().parents[1].parent / "shared" / "tools"


def _git(git_dir: str, *args: str) -> bytes:
    git = ["git", f"--git-dir={git_dir}", *args]
    return subprocess.run(git, capture_output=True, check=True).stdout  # noqa: S603 - git from PATH


def ner(git_dir: str) -> Path:
    """CoNLL-2003 English dev split (eng.testa), as the HSCRF-pytorch repository has it."""
    out = EVAL_DIR / "eng.testa"
    out.write_bytes(_git(git_dir, "show", "HEAD:data/eng.testa"))
    return out


def html(git_dir: str) -> Path:
    """The article-extraction benchmark's ground truth and its pages, gunzipped."""
    out = EVAL_DIR / "aeb"
    (out / "html").mkdir(parents=True, exist_ok=True)
    (out / "ground-truth.json").write_bytes(_git(git_dir, "show", "HEAD:ground-truth.json"))
    for name in _git(git_dir, "ls-tree", "--name-only", "HEAD", "html/").decode().split():
        page = Path(name).name.removesuffix(".html.gz")
        (out / "html" / f"{page}.html").write_bytes(gzip.decompress(_git(git_dir, "show", f"HEAD:{name}")))
    return out


def topics(git_dir: str) -> Path:
    """AG News test items, laid out by the shared tools' topic_data.py."""
    out = EVAL_DIR / "agnews"
    tool = SHARED_TOOLS / "topic_data.py"
    layout = ["agnews", "--git-dir", git_dir, "--path", "data/ag_news_csv/test.csv", "--out", str(out)]
    subprocess.run([sys.executable, str(tool), *layout], check=True)  # noqa: S603 - our own tool
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("set", choices=["ner", "html", "topics"])
    parser.add_argument("--git-dir", required=True, help="git directory of the data set's repository")
    args = parser.parse_args(argv)
    EVAL_DIR.mkdir(parents=True, exist_ok=True)
    where = {"ner": ner, "html": html, "topics": topics}[args.set](args.git_dir)
    print(f"{args.set}: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
