"""Score copy detection and story clustering on the labelled set of `bench.stories` (`make eval-stories`).

Each item is tagged by the tagger a worker uses (`NEWSSTREAM_TAGGER`, accurate by default),
then marked by one `StoryIndex` in publication order, as the stream marks them (the
keyed steps over one band partition; the same items over 8 partitions must get the same
marks). Figures:

- copies: pairwise precision and recall of (entry, duplicate_of) against (copy, the version
  it was made from);
- stories: B-cubed precision, recall and F1 of `story_id` against the event;
- per entry: the time to make an item (signature, vector) and to mark it, in µs.

Example:
    >>> python -m bench.stories_eval  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict

from bench.stories import LabelledItem, build
from schemas.messages import Entry
from streams.enrich import load_tagger
from streams.settings import Settings
from streams.stories import Item, Mark, StoryIndex

NAME_TYPES = ("person", "organization", "place")


def _names(tagger: object, item: LabelledItem) -> list[str]:
    entry = Entry(
        entry_id=item.item_id,
        article_id=item.item_id,
        source="eval",
        position=0,
        kind="article",
        headline=item.headline,
        body=item.body,
        content_hash=hashlib.sha1(item.body.encode()).hexdigest(),  # noqa: S324 - not security
    )
    [tags] = tagger.tag_article([entry])  # type: ignore[attr-defined]
    return [t.name for t in tags if t.type in NAME_TYPES]


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster) against the gold one."""
    by_pred: defaultdict[str, set[str]] = defaultdict(set)
    by_gold: defaultdict[str, set[str]] = defaultdict(set)
    for item, cluster in predicted.items():
        by_pred[cluster].add(item)
    for item, cluster in gold.items():
        by_gold[cluster].add(item)
    p = r = 0.0
    for item in gold:
        mine, theirs = by_pred[predicted[item]], by_gold[gold[item]]
        both = len(mine & theirs)
        p += both / len(mine)
        r += both / len(theirs)
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    settings = Settings()
    tagger = load_tagger(settings.tagger, settings.ner_model)
    items = build()
    names = {i.item_id: _names(tagger, i) for i in items}
    index, spread = StoryIndex(), StoryIndex(partitions=8)
    marks: dict[str, Mark] = {}
    made = marked = 0.0
    same_spread = True
    for item in items:
        started = time.perf_counter()
        story_item = Item.of(item.item_id, item.at, item.body, names[item.item_id])
        made += time.perf_counter() - started
        started = time.perf_counter()
        marks[item.item_id] = index.add(story_item)
        marked += time.perf_counter() - started
        same_spread &= spread.add(story_item) == marks[item.item_id]
    gold_pairs = {(i.item_id, i.original) for i in items if i.original}
    found = {(k, m.duplicate_of) for k, m in marks.items() if m.duplicate_of}
    dup_p = len(found & gold_pairs) / len(found) if found else 0.0
    dup_r = len(found & gold_pairs) / len(gold_pairs)
    p, r, f1 = bcubed({k: m.story_id for k, m in marks.items()}, {i.item_id: i.story for i in items})
    result = {
        "tagger": settings.tagger,
        "items": len(items),
        "stories": len({i.story for i in items}),
        "copies": len(gold_pairs),
        "duplicate_precision": round(dup_p, 3),
        "duplicate_recall": round(dup_r, 3),
        "story_bcubed_precision": round(p, 3),
        "story_bcubed_recall": round(r, 3),
        "story_bcubed_f1": round(f1, 3),
        "stories_found": len({m.story_id for m in marks.values()}),
        "item_us_per_entry": round(made / len(items) * 1e6, 1),
        "mark_us_per_entry": round(marked / len(items) * 1e6, 1),
        "same_marks_over_8_partitions": same_spread,
    }
    for item in items:
        mark = marks[item.item_id]
        wrong_copy = (mark.duplicate_of is not None) != (item.original is not None) or (
            item.original is not None and mark.duplicate_of != item.original
        )
        if wrong_copy:
            print(f"copy: {item.item_id} -> {mark.duplicate_of} ({mark.similarity})")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
