#!/usr/bin/env python3
"""An example downstream service: read enriched entries and validate them against the contract.

It depends only on aiokafka and jsonschema (not on newsstream) and reads the JSON Schema
files a producer team would publish (schemas/json/). Each valid message prints one line;
an invalid one is reported on stderr and counted.

    pip install aiokafka jsonschema
    python examples/consumer.py --bootstrap 127.0.0.1:9092 --topic news.entries.enriched \\
        --group my-service --from-beginning --max 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from aiokafka import AIOKafkaConsumer
from jsonschema import Draft202012Validator

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "json" / "enriched_entry.schema.json"
SUPPORTED_MAJOR = "1"


def check(validator: Draft202012Validator, value: bytes | None) -> tuple[dict | None, str | None]:
    """(entry, None) for a valid message, (None, problem) otherwise."""
    try:
        entry = json.loads(value or b"")
    except ValueError:
        return None, "not JSON"
    errors = sorted(validator.iter_errors(entry), key=lambda e: list(e.path))
    if errors:
        where = "/".join(map(str, errors[0].path)) or "(root)"
        return None, f"{where}: {errors[0].message[:120]}"
    if str(entry.get("schema_version", "")).split(".")[0] != SUPPORTED_MAJOR:
        return None, f"unsupported schema_version {entry.get('schema_version')!r}"
    return entry, None


async def consume(args: argparse.Namespace) -> int:
    validator = Draft202012Validator(json.loads(SCHEMA.read_text()))
    consumer = AIOKafkaConsumer(
        args.topic,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        auto_offset_reset="earliest" if args.from_beginning else "latest",
        # Only what a committed transaction holds (exactly_once mode); in at-least-once mode
        # every record is committed as it is written, so nothing changes.
        isolation_level="read_committed",
    )
    await consumer.start()
    seen = invalid = 0
    try:
        while args.max is None or seen < args.max:
            batch = await consumer.getmany(timeout_ms=int(args.idle * 1000))
            if not batch:
                break
            for records in batch.values():
                for record in records:
                    seen += 1
                    entry, problem = check(validator, record.value)
                    if entry is None:
                        invalid += 1
                        print(f"invalid message at offset {record.offset}: {problem}", file=sys.stderr)
                        continue
                    people = [t["name"] for t in entry["tags"] if t["type"] == "person"]
                    print(f"{entry['entry_id']} [{entry['kind']}] {entry['headline'] or ''} people={people}")
    finally:
        await consumer.stop()
    print(f"{seen} messages, {invalid} invalid", file=sys.stderr)
    return 1 if invalid else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", default="127.0.0.1:9092")
    ap.add_argument("--topic", default="news.entries.enriched")
    ap.add_argument("--group", default="example-consumer")
    ap.add_argument("--from-beginning", action="store_true")
    ap.add_argument("--max", type=int, default=None, help="stop after this many messages")
    ap.add_argument("--idle", type=float, default=10.0, help="stop after this many seconds without messages")
    return asyncio.run(consume(ap.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
