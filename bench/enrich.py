"""Benchmark of the pure stages: tagging entries/s and split + tag articles/s on one core.

Run: `make bench-enrich` (or `python -m bench.enrich --articles 300`). Prints a table
and writes bench/enrich_results.json. Figures, not assertions: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from prometheus_client import CollectorRegistry

from bench.synth import Synth
from streams.pipeline import Pipeline
from streams.routing import Router
from streams.runtime.app import build
from streams.settings import Settings

OUT = Path(__file__).with_name("enrich_results.json")
ROUTES = Path(__file__).parent.parent / "deploy" / "routes.example.yaml"


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def _timed(fn: Callable[[], None], repeats: int) -> list[float]:
    """Wall seconds of each of `repeats` runs (best and median are reported: the VM is noisy)."""
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def run(articles: int, posts: int, seed: int, repeats: int = 5) -> dict[str, float | int | str]:
    """Measure on `articles` synthetic live blogs of `posts` posts each."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the goal says
    began = time.perf_counter()
    pipeline = Pipeline.from_settings(Settings())
    gen = Synth(seed)
    raws = [gen.liveblog(posts) for _ in range(articles)]
    pipeline.process(raws[0])  # loads the gazetteer and lexicons
    startup = time.perf_counter() - began
    split = [pipeline.split(raw) for raw in raws]
    entries = sum(len(group) for group in split)

    def tag_all() -> None:
        for group in split:
            pipeline.tagger.tag_article(group)

    def split_and_tag() -> None:
        for raw in raws:
            pipeline.enrich(pipeline.split(raw))

    tag_runs = _timed(tag_all, repeats)
    both_runs = _timed(split_and_tag, repeats)

    router = Router.from_file(ROUTES)
    enriched = [e for group in split for e in pipeline.enrich(group)]

    def route_all() -> None:
        for entry in enriched:
            router.route(entry)

    route_runs = _timed(route_all, repeats)

    build(Settings(), CollectorRegistry())  # a worker's app, topics and tables besides the data
    return {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "articles": articles,
        "entries": entries,
        "mean_article_bytes": int(sum(len(r.content.encode()) for r in raws) / len(raws)),
        "startup_s": round(startup, 3),
        "repeats": repeats,
        "tag_entries_per_s": round(_rate(entries, min(tag_runs)), 1),
        "tag_entries_per_s_median": round(_rate(entries, statistics.median(tag_runs)), 1),
        "split_tag_articles_per_s": round(_rate(articles, min(both_runs)), 1),
        "split_tag_articles_per_s_median": round(_rate(articles, statistics.median(both_runs)), 1),
        "route_us_per_entry": round(min(route_runs) / len(enriched) * 1e6, 2),
        "routes": len(router.routes),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--posts", type=int, default=11)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    res = run(args.articles, args.posts, args.seed, args.repeats)
    width = max(map(len, res))
    for key, value in res.items():
        print(f"{key:<{width}}  {value}")
    OUT.write_text(json.dumps(res, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
