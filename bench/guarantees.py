"""What exactly-once costs: one worker at-least-once beside exactly-once at several commit intervals.

Run: `make bench-eos` (`python -m bench.guarantees`). One local Apache Kafka broker, the
same synthetic articles for every configuration, measured as `make bench` measures one
worker (bench/pipeline.py): articles/s to the last enriched entry a read_committed
consumer sees, then latency at half that rate, both from record timestamps and from when
a read_committed consumer had the entry (in exactly-once mode, after the transaction
that holds it commits: up to one commit interval later). Prints a table and writes
bench/guarantee-results.json. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
from pathlib import Path

from bench import pipeline
from bench.synth import Synth
from streams.dev.broker import DevBroker, free_port

OUT = Path(__file__).with_name("guarantee-results.json")

#: (name, processing guarantee, commit interval in seconds)
CONFIGS = [
    ("alo-1s", "at_least_once", 1.0),
    ("eos-0.2s", "exactly_once", 0.2),
    ("eos-1s", "exactly_once", 1.0),
    ("eos-5s", "exactly_once", 5.0),
]

KEYS = [
    "articles_per_s",
    "entries_per_s",
    "cpu_s_per_1000_articles",
    "broker_cpu_share",
    "longest_pause_s",
    "offered_articles_per_s",
    "p50_ms",
    "p99_ms",
    "visible_p50_ms",
    "visible_p99_ms",
    "peak_rss_mb",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--latency-seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="newsstream-bench-eos-"))
    gen = Synth(args.seed)
    raws, lat = gen.mix(args.articles), gen.mix(5000)
    _, _, expected = pipeline.fanout_of(raws, workdir, "fast")
    load = pipeline.Load(raws, expected, lat, args.latency_seconds)
    broker = DevBroker(engine="kafka", port=free_port(), data_dir=workdir / "broker", log_level="ERROR")
    broker.start()
    broker.wait_ready()
    pipeline.BROKER_PID[0] = broker.proc.pid if broker.proc else os.getpid()
    results: dict[str, dict[str, float]] = {}
    try:
        for name, guarantee, interval in CONFIGS:
            print(f"{name}: {guarantee}, commit interval {interval} s", flush=True)
            env = {
                "NEWSSTREAM_PROCESSING_GUARANTEE": guarantee,
                "NEWSSTREAM_COMMIT_INTERVAL": str(interval),
            }
            results[name] = pipeline.run_workers(
                broker.bootstrap, load, args.partitions, 1, workdir, "fast", env
            )
    finally:
        broker.stop()
    report(results, args)
    shutil.rmtree(workdir, ignore_errors=True)


def report(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    """Print the table and the ratios to at-least-once; write the JSON."""
    print(f"{'':26}" + "".join(f"{name:>12}" for name in results))
    for key in KEYS:
        print(f"{key:26}" + "".join(f"{results[name][key]:>12}" for name in results))
    base = results["alo-1s"]["articles_per_s"]
    ratios = {name: round(r["articles_per_s"] / base, 3) for name, r in results.items()}
    print("throughput / at-least-once: " + ", ".join(f"{k} {v}" for k, v in ratios.items()))
    summary = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "articles": args.articles,
        "partitions": args.partitions,
        "tagger": "fast",
        "throughput_ratio_to_at_least_once": ratios,
        "runs": results,
    }
    OUT.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
