"""Generate `schemas/json/*.schema.json` from the pydantic models.

Example:
    $ python -m schemas.export          # writes the files
    $ python -m schemas.export --check  # exits 1 when they drift from the models
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas.messages import (
    BandAnswer,
    BandProbe,
    BandSettle,
    DeadLetterHeaders,
    EnrichedEntry,
    Entry,
    PendingEntry,
    RawArticle,
)

JSON_DIR = Path(__file__).with_name("json")
MODELS: dict[str, type[BaseModel]] = {
    "raw_article": RawArticle,
    "entry": Entry,
    "enriched_entry": EnrichedEntry,
    "dead_letter_headers": DeadLetterHeaders,
    # Internal topics of the story stage
    "band_probe": BandProbe,
    "band_settle": BandSettle,
    "band_answer": BandAnswer,
    "pending_entry": PendingEntry,
}


def render(model: type[BaseModel]) -> str:
    """The JSON Schema text of one model, stable across runs."""
    schema = model.model_json_schema(mode="serialization")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def drifted() -> list[str]:
    """Names of schema files that differ from what the models generate."""
    out = []
    for name, model in MODELS.items():
        path = JSON_DIR / f"{name}.schema.json"
        if not path.exists() or path.read_text(encoding="utf-8") != render(model):
            out.append(path.name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when files drift")
    args = parser.parse_args(argv)
    if args.check:
        stale = drifted()
        for name in stale:
            print(f"{name} is out of date: run python -m schemas.export", file=sys.stderr)
        return 1 if stale else 0
    JSON_DIR.mkdir(exist_ok=True)
    for name, model in MODELS.items():
        (JSON_DIR / f"{name}.schema.json").write_text(render(model), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
