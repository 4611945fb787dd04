"""The package's floors: who may import whom, and packages used through their `__all__` only.

- the pure stages (`split`, `enrich`, `ingest`) import nothing from `runtime`, `dev`,
  `cli` or the `pipeline` that calls them, and `split` and `enrich` not each other;
- `runtime` imports nothing from `dev` or `cli`; the glue modules nothing from either;
- outside `split` and `enrich`, their names come from the package itself and are in its
  `__all__` (their modules are theirs to rearrange).
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import streams

ROOT = Path(streams.__file__).parent
MODULES = sorted(ROOT.rglob("*.py"))
STAGES = ("split", "enrich", "ingest", "stories")
PUBLIC_ONLY = ("split", "enrich")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _area(module: str) -> str:
    """`streams.split.markup` -> `split`; `streams.cli` -> `cli`; `streams` -> ``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(module, names, line) of every `streams` import in a file, function-level ones too."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "streams" or node.module.startswith("streams."):
                yield node.module, [alias.name for alias in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("streams."):
                    yield alias.name, [], node.lineno


def _forbidden(importer: str) -> set[str]:
    area = _area(importer)
    if area in STAGES:
        others = {"split", "enrich"} - {area} if area in PUBLIC_ONLY else set()
        return {"runtime", "dev", "cli", "pipeline", *others}
    if area == "runtime":
        return {"dev", "cli"}
    if area == "dev":
        return {"cli"}
    if area in {"clients", "pipeline", "codec", "deadletter", "errors", "inputs", "logs", "metrics"}:
        return {"runtime", "dev", "cli"}
    if area in {"routing", "settings", ""}:
        return {"runtime", "dev", "cli"}
    return set()  # cli: the top floor


def _violations() -> list[str]:
    out = []
    for path in MODULES:
        importer = _module_name(path)
        for module, names, line in _imports(path):
            where = f"{path.relative_to(ROOT.parent)}:{line}"
            target = _area(module)
            if target in _forbidden(importer) and target != _area(importer):
                out.append(f"{where}: {_area(importer) or 'streams'} imports {module}")
            if target in PUBLIC_ONLY and _area(importer) != target:
                package = importlib.import_module(f"streams.{target}")
                if module != package.__name__:
                    out.append(f"{where}: reaches into {module}; import from {package.__name__}")
                else:
                    hidden = [n for n in names if n not in package.__all__]
                    out += [f"{where}: {n} is not in {module}.__all__" for n in hidden]
    return out


def test_floors_and_public_names() -> None:
    assert _violations() == []


@pytest.mark.parametrize(
    ("importer", "module", "names"),
    [
        ("streams.split.segment", "streams.runtime.app", ["build"]),
        ("streams.runtime.app", "streams.dev.broker", ["DevBroker"]),
        ("streams.pipeline", "streams.split.markup", ["read_html"]),
        ("streams.pipeline", "streams.split", ["segment"]),
        ("streams.enrich.tagger", "streams.split", ["split_article"]),
    ],
)
def test_a_violation_is_reported(
    importer: str, module: str, names: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is not vacuous: each kind of bad import, written into a module, is caught."""
    path = ROOT.joinpath(*importer.split(".")[1:]).with_suffix(".py")
    fake = tmp_path / "fake.py"
    fake.write_text(f"from {module} import {', '.join(names)}\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.MODULES", [path])
    original = Path.read_text
    monkeypatch.setattr(
        Path, "read_text", lambda self, *a, **k: original(fake if self == path else self, *a, **k)
    )
    assert len(_violations()) == 1


def test_every_module_has_a_docstring() -> None:
    missing = [
        str(path.relative_to(ROOT.parent))
        for path in MODULES
        if path.stat().st_size and ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []
