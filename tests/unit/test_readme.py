"""README.md and docs/ stay true: settings, commands, quick start, links, and the message examples."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from schemas.messages import DeadLetterHeaders, EnrichedEntry, Entry, RawArticle
from streams.cli import parser
from streams.pipeline import OfflineRun, Pipeline
from streams.settings import Settings
from streams.stories import StoryIndex

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "docs").glob("*.md")}


def test_readme_is_one_screenful_per_topic() -> None:
    assert len(README.splitlines()) <= 250


def test_every_setting_is_documented_with_its_default() -> None:
    rows = {
        match[1]: match[2]
        for match in re.finditer(r"^\| `NEWSSTREAM_(\w+)` \| ([^|]+) \|", DOCS["configuration.md"], re.M)
    }
    for name, field in Settings.model_fields.items():
        assert name.upper() in rows, name
        shown = rows[name.upper()].strip().strip("`")
        if isinstance(field.default, int | float) and not isinstance(field.default, bool):
            assert float(shown) == field.default, name
        elif isinstance(field.default, str):
            assert shown == field.default, name


def test_every_command_is_documented() -> None:
    sub = next(a for a in parser()._actions if a.dest == "command")
    for command in sub.choices:  # type: ignore[union-attr]
        assert f"`newsstream {command}" in README, command
        assert f"`newsstream {command}" in DOCS["operations.md"], command


def test_quick_start_commands() -> None:
    assert "make run" in README and "make test" in README


def test_links_point_at_files_that_exist() -> None:
    for where, text in [("README.md", README), *((f"docs/{n}", t) for n, t in DOCS.items())]:
        base = ROOT if where == "README.md" else ROOT / "docs"
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (base / target).exists(), f"{where} links to {target}"


def _examples() -> dict[str, dict[str, object]]:
    """The JSON example under each `**topic (Model)**` heading of docs/messages.md, by model."""
    found = re.findall(r"\*\*[^*]*\((\w+)[^)]*\)\*\*\s+```json\n(.*?)```", DOCS["messages.md"], re.S)
    return {model: json.loads(text) for model, text in found}


@pytest.mark.parametrize(
    "model", [RawArticle, Entry, EnrichedEntry, DeadLetterHeaders], ids=lambda m: m.__name__
)
def test_message_examples_are_valid(model: type[RawArticle]) -> None:
    model.model_validate(_examples()[model.__name__])


def test_message_examples_are_what_the_pipeline_makes() -> None:
    examples = _examples()
    raw = RawArticle.model_validate(examples["RawArticle"])
    out = list(
        OfflineRun(Pipeline.from_settings(Settings()), StoryIndex()).run([raw])
    )  # `newsstream process`
    assert len(out) == 1
    made = out[0].model_copy(update={"enriched_at": datetime.fromisoformat("2025-03-04T09:45:02.12+00:00")})
    shown = EnrichedEntry.model_validate(examples["EnrichedEntry"])
    assert made.model_dump(exclude={"pipeline_version"}) == shown.model_dump(exclude={"pipeline_version"}), (
        "docs/messages.md is out of date; the pipeline now makes:\n" + made.model_dump_json(indent=2)
    )
    entry = Entry.model_validate(examples["Entry"])
    assert entry == Entry.model_validate(made.model_dump(include=set(Entry.model_fields)))
