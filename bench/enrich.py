"""Benchmark of the pure stages on one core: both taggers, spaCy's own speed, topics, routing.

Run: `make bench-enrich` (or `python -m bench.enrich --articles 100`). Each tagger is
measured in a process of its own (so its RSS is its own): entries/s, words/s, split + tag
articles/s, startup, peak RSS with a worker app built. Beside the accurate tagger, the
same texts go through its spaCy pipeline alone (`nlp.pipe`), the speed the tagger is
held to. Topic scoring is timed per entry and per KB of text, on the entries and on one
long page. A 150 KB sports round-up of thousands of names is tagged whole
(`results_page_tag_s`), where any check of every name against every other would show.
Prints a table and writes bench/enrich_results.json. Figures, not
assertions: the machine is shared; compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from bench.synth import Synth
from streams.pipeline import Pipeline
from streams.routing import Router
from streams.runtime.app import build
from streams.settings import Settings

OUT = Path(__file__).with_name("enrich_results.json")
ROUTES = Path(__file__).parent.parent / "deploy" / "routes.example.yaml"
TAGGERS = ("fast", "accurate")
#: Characters of the long page whose topic scoring is timed (a 300 KB article page's text).
LONG_PAGE_CHARS = 300_000
#: KB of the sports round-up tagged whole (thousands of names: `Synth.results_page`).
RESULTS_PAGE_KB = 150


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def _timed(fn: Callable[[], object], repeats: int) -> list[float]:
    """Wall seconds of each of `repeats` runs (best and median are reported: the VM is noisy)."""
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def measure(tagger: str, articles: int, posts: int, seed: int, repeats: int) -> dict[str, Any]:
    """One tagger's figures, in this process."""
    _one_core()
    began = time.perf_counter()
    pipeline = Pipeline.from_settings(Settings(tagger=tagger))
    gen = Synth(seed)
    raws = [gen.liveblog(posts) for _ in range(articles)]
    pipeline.process(raws[0])  # loads the gazetteer, lexicons and the model
    startup = time.perf_counter() - began
    split = [pipeline.split(raw) for raw in raws]
    entries = sum(len(group) for group in split)
    words = sum(len(f"{e.headline or ''} {e.body}".split()) for group in split for e in group)
    tag_runs = _timed(lambda: [pipeline.tagger.tag_article(group) for group in split], repeats)
    both_runs = _timed(lambda: [pipeline.enrich(pipeline.split(raw)) for raw in raws], repeats)
    results = pipeline.split(gen.results_page(RESULTS_PAGE_KB))
    results_runs = _timed(lambda: pipeline.tagger.tag_article(results), 1)
    out: dict[str, Any] = {
        "tagger": tagger,
        "articles": articles,
        "entries": entries,
        "words": words,
        "startup_s": round(startup, 2),
        "tag_entries_per_s": round(_rate(entries, min(tag_runs)), 1),
        "tag_entries_per_s_median": round(_rate(entries, statistics.median(tag_runs)), 1),
        "tag_words_per_s": round(_rate(words, min(tag_runs)), 0),
        "split_tag_articles_per_s": round(_rate(articles, min(both_runs)), 1),
        "split_tag_articles_per_s_median": round(_rate(articles, statistics.median(both_runs)), 1),
        "results_page_tag_s": round(min(results_runs), 2),
    }
    if tagger == "accurate":
        out.update(_spacy_alone(pipeline, split, words, repeats, min(tag_runs)))
    else:
        out.update(_topics_and_routing(pipeline, split, entries, repeats))
    build(Settings(tagger=tagger), CollectorRegistry())  # a worker's app, topics and tables too
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def _spacy_alone(
    pipeline: Pipeline, split: list[Any], words: int, repeats: int, tagged: float
) -> dict[str, Any]:
    """The accurate tagger's pipeline on the same texts, all at once (its best case)."""
    from streams.enrich.tagging import entry_text

    nlp = pipeline.tagger.model.nlp  # type: ignore[attr-defined]
    texts = [entry_text(e) for group in split for e in group]
    runs = _timed(lambda: list(nlp.pipe(texts, batch_size=64)), repeats)
    return {
        "spacy_pipe_words_per_s": round(_rate(words, min(runs)), 0),
        "tagger_share_of_spacy_speed": round(min(runs) / tagged, 3),
    }


def _topics_and_routing(pipeline: Pipeline, split: list[Any], entries: int, repeats: int) -> dict[str, Any]:
    from streams.enrich.iptc import TopicModel
    from streams.enrich.tagging import entry_text

    topics = pipeline.tagger.topics  # type: ignore[attr-defined]
    texts = [entry_text(e) for group in split for e in group]
    kb = sum(len(t.encode()) for t in texts) / 1000
    runs = _timed(lambda: [topics.classify(t) for t in texts], repeats)
    # The same texts with the concepts alone: what the desk model costs, in this run.
    concepts_only = TopicModel(topics.vectors, with_desks=False)
    plain_runs = _timed(lambda: [concepts_only.classify(t) for t in texts], repeats)
    long_page = " ".join(texts)
    while len(long_page) < LONG_PAGE_CHARS:
        long_page += " " + long_page
    long_page = long_page[:LONG_PAGE_CHARS]
    long_runs = _timed(lambda: topics.classify(long_page), repeats)
    router = Router.from_file(ROUTES)
    enriched = [e for group in split for e in pipeline.enrich(group)]
    route_runs = _timed(lambda: [router.route(e) for e in enriched], repeats)
    return {
        "topics_us_per_entry": round(min(runs) / entries * 1e6, 1),
        "topics_us_per_kb": round(min(runs) / kb * 1e6, 1),
        "topics_without_desks_us_per_entry": round(min(plain_runs) / entries * 1e6, 1),
        "topics_long_page_ms": round(min(long_runs) * 1e3, 1),
        "topics_long_page_us_per_kb": round(min(long_runs) / (LONG_PAGE_CHARS / 1000) * 1e6, 1),
        "route_us_per_entry": round(min(route_runs) / len(enriched) * 1e6, 2),
        "routes": len(router.routes),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--posts", type=int, default=11)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--tagger", choices=TAGGERS, help="measure one tagger in this process (JSON out)")
    args = ap.parse_args()
    if args.tagger:
        print(json.dumps(measure(args.tagger, args.articles, args.posts, args.seed, args.repeats)))
        return
    results: dict[str, Any] = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    for tagger in TAGGERS:
        cmd = [sys.executable, "-m", "bench.enrich", "--tagger", tagger, "--articles", str(args.articles)]
        cmd += ["--posts", str(args.posts), "--seed", str(args.seed), "--repeats", str(args.repeats)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)  # noqa: S603 - ourselves
        results[tagger] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(results["machine"])
    keys = [k for k in {**results["fast"], **results["accurate"]} if k != "tagger"]
    print(f"{'figure':<34} {'fast':>12} {'accurate':>12}")
    for key in keys:
        row = [results[t].get(key, "") for t in TAGGERS]
        print(f"{key:<34} {row[0]!s:>12} {row[1]!s:>12}")
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
