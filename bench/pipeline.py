"""Throughput, latency and scale-out of newsstream against a plain-aiokafka ceiling.

Run: `make bench` (`python -m bench.pipeline`). One run on a local Apache Kafka broker,
the same N synthetic articles (live blogs and ordinary articles) for every configuration:

1. ceiling: bench/ceiling.py, the same topology with the processing taken out;
2. newsstream, one worker;  3. the same with stories on (NEWSSTREAM_STORIES=true: the
   cost of the band round trip);  4. newsstream, two workers (8 partitions).

For each: processors are started and ready, then N articles are published as fast as
possible and the clock stops at the last enriched message (articles/s, entries/s, CPU
seconds per 1,000 articles of the processor processes, their peak RSS). Then articles are
offered at half the measured maximum for a while and end-to-end latency (raw record
timestamp to enriched record timestamp) is reported as p50/p95/p99. Prints a table and
writes bench/results.json. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.synth import Synth
from schemas.messages import RawArticle
from streams.codec import encode
from streams.dev.broker import DevBroker, free_port
from streams.pipeline import Pipeline
from streams.runtime.worker import spawn_worker
from streams.settings import Settings

OUT = Path(__file__).with_name("results.json")
CLK_TCK = os.sysconf("SC_CLK_TCK")
IDLE_END = 20.0
# seconds without a new enriched message that end a phase (the clock stops at the last one,
# so this only bounds how long a stalled run is waited for)
BROKER_PID = [0]  # set once the broker runs: its CPU is reported beside the processors


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


@dataclass(frozen=True)
class Load:
    """What every configuration is given: the articles, their entry count, the latency phase."""

    raws: list[RawArticle]
    expected: int  # entries the raws split into
    latency_raws: list[RawArticle]
    latency_seconds: float


@dataclass
class Procs:
    """The processor processes of one configuration."""

    procs: list[subprocess.Popen[bytes]]

    def cpu_seconds(self) -> float:
        return sum(cpu_of(proc.pid) for proc in self.procs)

    def peak_rss_mb(self) -> float:
        peaks = []
        for proc in self.procs:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _create_topics(bootstrap: str, names: list[str], partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, partitions, 1) for n in names])
    finally:
        await admin.close()


async def _publish(
    producer: AIOKafkaProducer, topic: str, raws: list[RawArticle], rate: float | None = None
) -> None:
    """Publish articles (keyed by id), as fast as possible or at `rate` per second."""
    began = time.monotonic()
    sends = []
    for i, raw in enumerate(raws):
        if rate is not None:
            delay = began + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        sends.append(await producer.send(topic, encode(raw), key=(raw.article_id or "").encode()))
    await asyncio.gather(*sends)


async def _drain(
    consumer: AIOKafkaConsumer, idle: float = IDLE_END, expect: int | None = None
) -> tuple[int, list[tuple[bytes, int, int]], float]:
    """Count messages until `expect` arrived or `idle` seconds pass without one.

    Returns (count, (key, record timestamp, arrival ms) list, last arrival).
    """
    count, stamps, last = 0, [], time.monotonic()
    while time.monotonic() - last < idle and (expect is None or count < expect):
        batch = await consumer.getmany(timeout_ms=200)
        arrived = int(time.time() * 1000)
        for records in batch.values():
            for record in records:
                count += 1
                stamps.append((record.key or b"", record.timestamp, arrived))
            last = time.monotonic()
    return count, stamps, last


async def measure(bootstrap: str, topics: dict[str, str], procs: Procs, load: Load) -> dict[str, float]:
    """One configuration: max throughput, then latency at half of it."""
    raws, expected = load.raws, load.expected
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    consumer = AIOKafkaConsumer(
        topics["enriched"],
        bootstrap_servers=bootstrap,
        auto_offset_reset="latest",
        enable_auto_commit=False,
        # Fewer, fuller fetches: the counting shares the 2 cores with what it measures. Latency
        # uses record timestamps, so waiting up to 100 ms for 256 KB does not change it.
        fetch_min_bytes=256 * 1024,
        fetch_max_wait_ms=100,
        # What a consumer of exactly-once output must use; the clock stops when entries are
        # visible to it (at-least-once output is visible at once).
        isolation_level="read_committed",
    )
    await producer.start()
    await consumer.start()
    try:
        await consumer.seek_to_end()
        for tp in consumer.assignment():
            await consumer.position(tp)
        cpu0, broker0, bench0, t0 = (
            procs.cpu_seconds(),
            cpu_of(BROKER_PID[0]),
            cpu_of(os.getpid()),
            time.monotonic(),
        )
        publishing = asyncio.create_task(_publish(producer, topics["raw"], raws))
        entries, burst, last = await _drain(consumer, expect=expected)
        await publishing
        elapsed = last - t0
        cpu = procs.cpu_seconds() - cpu0
        broker_cpu = cpu_of(BROKER_PID[0]) - broker0
        bench_cpu = cpu_of(os.getpid()) - bench0
        rate = len(raws) / elapsed
        offered = rate / 2
        n = min(len(load.latency_raws), int(offered * load.latency_seconds))
        sent_at: dict[bytes, int] = {}
        lat_raws = load.latency_raws[:n]
        publishing = asyncio.create_task(_publish(producer, topics["raw"], lat_raws, rate=offered))
        _, stamps, _ = await _drain(consumer)
        await publishing
        raw_ts = await _raw_timestamps(
            bootstrap, topics["raw"], {(r.article_id or "").encode() for r in lat_raws}
        )
        sent_at.update(raw_ts)
        lat = sorted(ts - sent_at[key] for key, ts, _ in stamps if key in sent_at)
        # When a read_committed consumer had it (exactly-once: after the transaction commits).
        seen = sorted(arrived - sent_at[key] for key, _, arrived in stamps if key in sent_at)
        return {
            "articles_per_s": round(rate, 1),
            "entries_per_s": round(entries / elapsed, 1),
            "entries": entries,
            "entries_expected": expected,
            "longest_pause_s": _longest_pause(burst),
            "cpu_s_per_1000_articles": round(cpu / len(raws) * 1000, 2),
            "broker_cpu_share": round(broker_cpu / elapsed, 2),
            "processor_cpu_share": round(cpu / elapsed, 2),
            "load_generator_cpu_share": round(bench_cpu / elapsed, 2),
            "offered_articles_per_s": round(offered, 1),
            "latency_samples": len(lat),
            "p50_ms": _pct(lat, 50),
            "p95_ms": _pct(lat, 95),
            "p99_ms": _pct(lat, 99),
            "visible_p50_ms": _pct(seen, 50),
            "visible_p99_ms": _pct(seen, 99),
            "peak_rss_mb": round(procs.peak_rss_mb(), 1),
        }
    finally:
        await consumer.stop()
        await producer.stop()


async def _raw_timestamps(bootstrap: str, topic: str, keys: set[bytes]) -> dict[bytes, int]:
    """Publish timestamps of the latency-phase raw records, read back from the broker."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    found: dict[bytes, int] = {}
    try:
        while len(found) < len(keys):
            batch = await consumer.getmany(timeout_ms=2000)
            if not batch:
                break
            for records in batch.values():
                for record in records:
                    if record.key in keys:
                        found[record.key] = record.timestamp
        return found
    finally:
        await consumer.stop()


def _longest_pause(stamps: list[tuple[bytes, int, int]]) -> float:
    """The longest gap between consecutive output records (s): stalls show here."""
    times = sorted(ts for _, ts, _ in stamps)
    return round(max((b - a for a, b in itertools.pairwise(times)), default=0) / 1000, 2)


def _pct(values: list[int], pct: float) -> float:
    if not values:
        return float("nan")
    return float(values[min(len(values) - 1, int(len(values) * pct / 100))])


def _wait_ready(ports: list[int], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    pending = set(ports)
    while pending and time.monotonic() < deadline:
        for port in list(pending):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as resp:
                    if resp.status == 200:
                        pending.discard(port)
            except OSError:
                pass
        time.sleep(0.5)
    if pending:
        raise RuntimeError(f"workers on {sorted(pending)} not ready")


def _topics(tag: str) -> dict[str, str]:
    return {k: f"{tag}.{k}" for k in ("raw", "entries", "enriched", "deadletter", "bands", "matches")}


def run_ceiling(
    bootstrap: str, load: Load, partitions: int, fanout: Path, pad: int, workdir: Path
) -> dict[str, float]:
    topics = _topics(f"ceil-{uuid.uuid4().hex[:6]}")
    asyncio.run(_create_topics(bootstrap, list(topics.values()), partitions))
    proc = subprocess.Popen(  # noqa: S603 - our own script
        [
            sys.executable,
            "-m",
            "bench.ceiling",
            "--bootstrap",
            bootstrap,
            "--raw",
            topics["raw"],
            "--entries",
            topics["entries"],
            "--enriched",
            topics["enriched"],
            "--fanout",
            str(fanout),
            "--pad",
            str(pad),
        ],
        stdout=subprocess.PIPE,
        stderr=(workdir / "ceiling.log").open("wb"),
    )
    procs = Procs([proc])
    try:
        if proc.stdout is not None:
            proc.stdout.readline()  # "ready"
        time.sleep(3)  # let both consumer groups settle their assignment
        return asyncio.run(measure(bootstrap, topics, procs, load))
    finally:
        procs.stop()


def run_workers(
    bootstrap: str,
    load: Load,
    partitions: int,
    workers: int,
    workdir: Path,
    tagger: str,
    extra_env: dict[str, str] | None = None,
) -> dict[str, float]:
    tag = f"ns{workers}-{uuid.uuid4().hex[:6]}"
    topics = _topics(tag)
    ports = [free_port() for _ in range(workers)]
    env = {
        **os.environ,
        "NEWSSTREAM_BROKER_URL": f"kafka://{bootstrap}",
        "NEWSSTREAM_APP_ID": tag,
        "NEWSSTREAM_TOPIC_RAW": topics["raw"],
        "NEWSSTREAM_TOPIC_ENTRIES": topics["entries"],
        "NEWSSTREAM_TOPIC_ENRICHED": topics["enriched"],
        "NEWSSTREAM_TOPIC_DEADLETTER": topics["deadletter"],
        "NEWSSTREAM_TOPIC_STORY_BANDS": topics["bands"],
        "NEWSSTREAM_TOPIC_STORY_MATCHES": topics["matches"],
        "NEWSSTREAM_TOPIC_PARTITIONS": str(partitions),
        "NEWSSTREAM_LOG_LEVEL": "warning",
        "NEWSSTREAM_STATE_DIR": str(workdir / "state"),
        "NEWSSTREAM_TAGGER": tagger,
        **(extra_env or {}),
    }
    procs = Procs(
        [spawn_worker({**env, "NEWSSTREAM_WEB_PORT": str(p)}, workdir / f"{tag}-{p}.log") for p in ports]
    )
    try:
        _wait_ready(ports)
        time.sleep(3)  # the group settles after the last worker joins
        _wait_ready(ports)
        return asyncio.run(measure(bootstrap, topics, procs, load))
    finally:
        procs.stop()


def fanout_of(raws: list[RawArticle], workdir: Path, tagger: str) -> tuple[Path, int, int]:
    """Entry sizes per article as the pipeline splits them, bytes tags add per entry, entry count."""
    pipeline = Pipeline.from_settings(Settings(tagger=tagger))
    fanout, pads = {}, []
    for i, raw in enumerate(raws):
        entries = pipeline.split(raw)
        fanout[raw.article_id or ""] = [len(encode(e)) for e in entries]
        if i < 100:
            pads += [
                len(encode(x)) - len(encode(e))
                for e, x in zip(entries, pipeline.enrich(entries), strict=True)
            ]
    path = workdir / "fanout.json"
    path.write_text(json.dumps(fanout))
    return path, int(statistics.mean(pads)), sum(map(len, fanout.values()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument(
        "--stories-articles",
        type=int,
        default=1000,
        help="articles of the stories-on run (the first N; it is the slowest configuration)",
    )
    ap.add_argument("--latency-seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument(
        "--tagger",
        choices=["fast", "accurate"],
        default="fast",
        help="the workers' NEWSSTREAM_TAGGER (default fast: these figures are about the stream machinery; "
        "the accurate tagger bounds a worker at its tagging speed, see make bench-enrich)",
    )
    ap.add_argument(
        "--guarantee",
        choices=["at_least_once", "exactly_once"],
        default="at_least_once",
        help="the workers' NEWSSTREAM_PROCESSING_GUARANTEE (bench.guarantees compares both)",
    )
    args = ap.parse_args()
    guarantee = {"NEWSSTREAM_PROCESSING_GUARANTEE": args.guarantee}
    print(
        f"tagger: {args.tagger}, {args.guarantee}, {args.articles} articles, {args.partitions} partitions",
        flush=True,
    )
    workdir = Path(tempfile.mkdtemp(prefix="newsstream-bench-"))
    gen = Synth(args.seed)
    raws, lat = gen.mix(args.articles), gen.mix(5000)
    fanout, pad, expected = fanout_of(raws, workdir, args.tagger)
    load = Load(raws, expected, lat, args.latency_seconds)
    per_article = json.loads(fanout.read_text())
    few = raws[: args.stories_articles]
    stories_expected = sum(len(per_article[r.article_id or ""]) for r in few)
    stories_load = Load(few, stories_expected, lat, args.latency_seconds)
    broker = DevBroker(engine="kafka", port=free_port(), data_dir=workdir / "broker", log_level="ERROR")
    broker.start()
    broker.wait_ready()
    BROKER_PID[0] = broker.proc.pid if broker.proc else os.getpid()
    try:
        results = {
            "ceiling": run_ceiling(broker.bootstrap, load, args.partitions, fanout, pad, workdir),
            "one_worker": run_workers(
                broker.bootstrap, load, args.partitions, 1, workdir, args.tagger, guarantee
            ),
            "stories": run_workers(
                broker.bootstrap,
                stories_load,
                args.partitions,
                1,
                workdir,
                args.tagger,
                {**guarantee, "NEWSSTREAM_STORIES": "true"},
            ),
            "two_workers": run_workers(
                broker.bootstrap, load, args.partitions, 2, workdir, args.tagger, guarantee
            ),
        }
    finally:
        broker.stop()
    report(results, args)
    # The broker's data is over a GB; a failed run keeps the directory (its logs are in it).
    shutil.rmtree(workdir, ignore_errors=True)


def report(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    keys = [
        "articles_per_s",
        "entries_per_s",
        "entries",
        "longest_pause_s",
        "cpu_s_per_1000_articles",
        "offered_articles_per_s",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "visible_p99_ms",
        "peak_rss_mb",
    ]
    print(f"{'':28}" + "".join(f"{name:>14}" for name in results))
    for key in keys:
        print(f"{key:28}" + "".join(f"{results[name][key]:>14}" for name in results))
    one, two, ceil = results["one_worker"], results["two_workers"], results["ceiling"]
    marked = results["stories"]
    summary = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "articles": args.articles,
        "partitions": args.partitions,
        "tagger": args.tagger,
        "guarantee": args.guarantee,
        "ceiling_articles_per_s": ceil["articles_per_s"],
        "pipeline_articles_per_s": one["articles_per_s"],
        "pipeline_ratio": round(one["articles_per_s"] / ceil["articles_per_s"], 3),
        "two_worker_articles_per_s": two["articles_per_s"],
        "two_worker_ratio": round(two["articles_per_s"] / one["articles_per_s"], 3),
        "p99_latency_ms": one["p99_ms"],
        "stories_articles_per_s": marked["articles_per_s"],
        "stories_p99_latency_ms": marked["p99_ms"],
        # CPU s per 1,000 articles is ms per article; an article makes entries/articles entries.
        "stories_cpu_ms_per_entry": round(
            (marked["cpu_s_per_1000_articles"] - one["cpu_s_per_1000_articles"])
            * args.articles
            / one["entries"],  # the same mix of articles: entries per article as in the full run
            3,
        ),
        "peak_rss_mb": max(one["peak_rss_mb"], two["peak_rss_mb"]),
        "runs": results,
    }
    print(f"tagger: {args.tagger}")
    print(f"pipeline/ceiling = {summary['pipeline_ratio']}   two/one workers = {summary['two_worker_ratio']}")
    print(
        f"stories: +{summary['stories_cpu_ms_per_entry']} CPU ms per entry, p99 at half load "
        f"{marked['p99_ms']} ms with, {one['p99_ms']} ms without"
    )
    OUT.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
