"""Benchmark of reading HTML pages on one core: split alone, split + tag, trafilatura alone.

Run: `make bench-html` (or `python -m bench.reading --pages 60`). The pages are our own
(`bench.pages`: 50-300 KB each, head, scripts, navigation, article or live blog, comments,
teasers, footer; a third of them live blogs of every markup shape). Split + tag uses the
tagger `--tagger` names (the fast one by default, as the target is stated for it). Prints
pages/s and MB/s (best of `--repeats` runs) and writes bench/html_results.json. Figures,
not assertions: the machine is shared; compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trafilatura

from bench.pages import Pages
from schemas.messages import RawArticle
from streams.pipeline import Pipeline
from streams.settings import Settings

OUT = Path(__file__).with_name("html_results.json")


def _best(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


def run(pages: int, seed: int, repeats: int, tagger: str) -> dict[str, Any]:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    generated = Pages(seed).mix(pages)
    raws = [
        RawArticle(source="bench", content=p.html, content_type="text/html", url=f"https://news.example/{i}")
        for i, p in enumerate(generated)
    ]
    megabytes = sum(len(r.content.encode()) for r in raws) / 1e6
    pipeline = Pipeline.from_settings(Settings(tagger=tagger))
    pipeline.process(raws[0])  # data and model loaded before the clock starts
    split = _best(lambda: [pipeline.split(raw) for raw in raws], repeats)
    both = _best(lambda: [pipeline.process(raw) for raw in raws], repeats)
    alone = _best(lambda: [trafilatura.extract(raw.content, include_comments=False) for raw in raws], repeats)
    entries = [pipeline.split(raw) for raw in raws]
    live = [p for p in generated if p.kind == "liveblog"]
    return {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "pages": pages,
        "live_blogs": len(live),
        "megabytes": round(megabytes, 1),
        "mean_page_kb": round(megabytes * 1000 / pages, 1),
        "tagger": tagger,
        "split_pages_per_s": round(pages / split, 1),
        "split_mb_per_s": round(megabytes / split, 2),
        "split_tag_pages_per_s": round(pages / both, 1),
        "split_tag_mb_per_s": round(megabytes / both, 2),
        "trafilatura_pages_per_s": round(pages / alone, 1),
        "trafilatura_mb_per_s": round(megabytes / alone, 2),
        "articles_as_one_entry": sum(
            1 for p, e in zip(generated, entries, strict=True) if p.kind == "article" and len(e) == 1
        ),
        "live_blogs_split_into_their_posts": sum(
            1 for p, e in zip(generated, entries, strict=True) if p.kind == "liveblog" and len(e) == p.posts
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--tagger", choices=["fast", "accurate"], default="fast")
    args = ap.parse_args()
    results = run(args.pages, args.seed, args.repeats, args.tagger)
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
