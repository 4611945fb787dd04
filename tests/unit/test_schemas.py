"""The JSON Schemas in schemas/json/ are generated from the models and must not drift."""

from __future__ import annotations

import json

from schemas.export import JSON_DIR, MODELS, drifted, render


def test_schema_files_match_models() -> None:
    assert drifted() == [], "run: python -m schemas.export"


def test_every_model_has_a_schema_file() -> None:
    files = {p.name for p in JSON_DIR.glob("*.schema.json")}
    assert files == {f"{name}.schema.json" for name in MODELS}


def test_enriched_entry_schema_lists_contract_fields() -> None:
    schema = json.loads(render(MODELS["enriched_entry"]))
    fields = set(schema["properties"])
    contract = {
        "entry_id",
        "article_id",
        "source",
        "url",
        "article_title",
        "position",
        "kind",
        "headline",
        "body",
        "time_label",
        "published_at",
        "revision",
        "content_hash",
        "tags",
        "language",
        "enriched_at",
        "pipeline_version",
    }
    assert contract <= fields


def test_drift_is_detected(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name, model in MODELS.items():
        (tmp_path / f"{name}.schema.json").write_text(render(model))
    (tmp_path / "entry.schema.json").write_text("{}\n")
    monkeypatch.setattr("schemas.export.JSON_DIR", tmp_path)
    assert drifted() == ["entry.schema.json"]


BASELINE = JSON_DIR / "v1.0"
_COSMETIC = {"description", "title", "default", "examples"}


def _shape(node: object) -> object:
    """A schema without its prose, for comparing what it accepts."""
    if isinstance(node, dict):
        return {k: _shape(v) for k, v in node.items() if k not in _COSMETIC}
    if isinstance(node, list):
        return [_shape(v) for v in node]
    return node


def test_changes_within_major_version_1_are_additive() -> None:
    for name, model in MODELS.items():
        if not (BASELINE / f"{name}.schema.json").exists():
            assert name.startswith(("band_", "pending_")), f"{name}: a public message without a 1.0 baseline"
            continue  # the story stage's internal topics, new in 1.3
        old = json.loads((BASELINE / f"{name}.schema.json").read_text())
        new = json.loads(render(model))
        assert set(new.get("required", [])) <= set(old.get("required", [])), f"{name}: new required field"
        for field, schema in old["properties"].items():
            assert field in new["properties"], f"{name}.{field} was removed"
            assert _shape(new["properties"][field]) == _shape(schema), f"{name}.{field} changed type"
        for ref, schema in old.get("$defs", {}).items():
            assert _shape(schema)["properties"].keys() <= _shape(new["$defs"][ref])["properties"].keys()


def test_every_message_carries_the_schema_version() -> None:
    for name, model in MODELS.items():
        assert "schema_version" in json.loads(render(model))["properties"], name
