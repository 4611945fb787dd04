"""The plain-aiokafka ceiling: newsstream's topology with the processing taken out.

Consumes each raw article, produces as many entry-sized messages as the pipeline makes
from it to an entries topic, consumes those and produces them again (padded to the size
of an enriched entry) to an enriched topic. Run by bench/pipeline.py as a subprocess.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

BATCH = 500


async def _stage(
    consumer: AIOKafkaConsumer,
    producer: AIOKafkaProducer,
    out_topic: str,
    fanout: dict[bytes, list[int]],
    pad: int | None,
) -> None:
    """Forward each consumed message (fanned out or padded) without awaiting each send."""
    while True:
        batches = await consumer.getmany(timeout_ms=100, max_records=BATCH)
        sends = []
        for records in batches.values():
            for record in records:
                if pad is None:  # raw -> entries: one message per entry the pipeline makes
                    for size in fanout.get(record.key or b"", [1000]):
                        sends.append(await producer.send(out_topic, b"x" * size, key=record.key))
                else:
                    value = (record.value or b"") + b" " * pad
                    sends.append(await producer.send(out_topic, value, key=record.key))
        if sends:
            await asyncio.gather(*sends)
            await consumer.commit()


async def main(args: argparse.Namespace, fanout: dict[bytes, list[int]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=args.bootstrap, acks="all", linger_ms=5)
    raw = AIOKafkaConsumer(
        args.raw,
        bootstrap_servers=args.bootstrap,
        group_id="ceiling-split",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    entries = AIOKafkaConsumer(
        args.entries,
        bootstrap_servers=args.bootstrap,
        group_id="ceiling-enrich",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await producer.start()
    await raw.start()
    await entries.start()
    print("ready", flush=True)
    await asyncio.gather(
        _stage(raw, producer, args.entries, fanout, None),
        _stage(entries, producer, args.enriched, fanout, args.pad),
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    for name in ("bootstrap", "raw", "entries", "enriched", "fanout"):
        ap.add_argument(f"--{name}", required=True)
    ap.add_argument("--pad", type=int, default=600, help="bytes added per entry, as tags add")
    args = ap.parse_args()
    sizes = {k.encode(): v for k, v in json.loads(Path(args.fanout).read_text()).items()}
    asyncio.run(main(args, sizes))
