"""Soak: one worker at a steady half load for 10 minutes; is its memory flat?

Run: `make soak` (`python -m bench.soak --minutes 10`; `--state-window-hours 0.05` shows
the tables' windows expiring within the run). Offers articles at half the
one-worker rate measured by `make bench` (bench/results.json; 50/s without it), samples
the worker's RSS every 30 s, and prints the series and the growth between the first
sample after warm-up and the last. Writes bench/soak_results.json. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from aiokafka import AIOKafkaProducer

from bench.synth import Synth
from streams.codec import encode
from streams.dev.broker import DevBroker, free_port
from streams.runtime.worker import spawn_worker
from streams.settings import Settings

OUT = Path(__file__).with_name("soak_results.json")
RESULTS = Path(__file__).with_name("results.json")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def offer(
    bootstrap: str, topic: str, rate: float, seconds: float, pid: int, every: float = 30.0
) -> list[tuple[float, float]]:
    """Publish at `rate` for `seconds`, sampling the worker's RSS every `every` seconds."""
    gen = Synth(seed=99)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    samples = [(0.0, rss_mb(pid))]
    began = time.monotonic()
    sent = 0
    try:
        while (elapsed := time.monotonic() - began) < seconds:
            raw = gen.liveblog(gen.rng.randint(6, 14)) if sent % 5 < 3 else gen.article()
            await producer.send(topic, encode(raw), key=(raw.article_id or "").encode())
            sent += 1
            if elapsed - samples[-1][0] >= every:
                samples.append((round(elapsed), rss_mb(pid)))
                print(f"{elapsed:6.0f}s  rss {samples[-1][1]:.1f} MB  sent {sent}", flush=True)
            delay = began + sent / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        await producer.flush()
    finally:
        await producer.stop()
    return samples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=60.0, help="seconds before the baseline sample")
    ap.add_argument(
        "--state-window-hours",
        type=float,
        default=None,
        help="NEWSSTREAM_STATE_WINDOW_HOURS for the worker (default: the worker's own default)",
    )
    args = ap.parse_args()
    rate, tagger = 50.0, "fast"
    if RESULTS.exists():  # half of what `make bench` measured, with the tagger it ran
        measured = json.loads(RESULTS.read_text())
        rate, tagger = measured["pipeline_articles_per_s"] / 2, measured.get("tagger", "fast")
    print(f"tagger: {tagger}, {rate:.1f} articles/s", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="newsstream-soak-"))
    broker = DevBroker(engine="kafka", port=free_port(), data_dir=workdir / "broker", log_level="ERROR")
    broker.start()
    broker.wait_ready()
    tag, port = f"soak-{uuid.uuid4().hex[:6]}", free_port()
    env = {
        **os.environ,
        "NEWSSTREAM_BROKER_URL": f"kafka://{broker.bootstrap}",
        "NEWSSTREAM_APP_ID": tag,
        "NEWSSTREAM_TOPIC_RAW": f"{tag}.raw",
        "NEWSSTREAM_TOPIC_ENTRIES": f"{tag}.entries",
        "NEWSSTREAM_TOPIC_ENRICHED": f"{tag}.enriched",
        "NEWSSTREAM_TOPIC_DEADLETTER": f"{tag}.dl",
        "NEWSSTREAM_TOPIC_PARTITIONS": "8",
        "NEWSSTREAM_LOG_LEVEL": "warning",
        "NEWSSTREAM_WEB_PORT": str(port),
        "NEWSSTREAM_STATE_DIR": str(workdir / "state"),
        "NEWSSTREAM_TAGGER": tagger,
    }
    if args.state_window_hours is not None:
        env["NEWSSTREAM_STATE_WINDOW_HOURS"] = str(args.state_window_hours)
    worker = spawn_worker(env, workdir / "worker.log")
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        samples = asyncio.run(offer(broker.bootstrap, f"{tag}.raw", rate, args.minutes * 60, worker.pid))
    finally:
        worker.terminate()
        worker.wait(30)
        broker.stop()
    base = next((mb for t, mb in samples if t >= args.warmup), samples[0][1])
    growth = (samples[-1][1] - base) / base
    result = {
        "rate_articles_per_s": round(rate, 1),
        "minutes": args.minutes,
        "state_window_hours": args.state_window_hours or Settings().state_window_hours,
        "rss_mb": samples,
        "baseline_mb": round(base, 1),
        "final_mb": round(samples[-1][1], 1),
        "growth": round(growth, 3),
    }
    print(f"RSS {base:.1f} MB after warm-up -> {samples[-1][1]:.1f} MB at the end: {growth:+.1%}")
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {OUT}")
    # The broker's data is over a GB; a failed run keeps the directory (its logs are in it).
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
