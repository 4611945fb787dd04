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
