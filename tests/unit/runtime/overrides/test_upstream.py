"""Every override pins the upstream code it relies on: an upgrade that changes any of it fails here.

When this fails, read the named upstream function in the new version beside the override
module, adapt the override if needed, then update the fingerprint in its `UPSTREAM`.
"""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from pathlib import Path

import pytest

import streams.runtime.overrides as overrides
from streams.runtime.overrides.upstream import drifted, fingerprint, resolve

MODULES = sorted(m.name for m in pkgutil.iter_modules(overrides.__path__) if m.name != "upstream")
PYPROJECT = tomllib.loads((Path(__file__).parents[4] / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", MODULES)
def test_override_still_matches_upstream(name: str) -> None:
    module = importlib.import_module(f"streams.runtime.overrides.{name}")
    assert module.UPSTREAM, f"overrides/{name}.py pins no upstream code"
    stale = drifted(module.UPSTREAM)
    assert not stale, (
        f"upstream code under streams/runtime/overrides/{name}.py changed: {stale}; "
        "read it against the override, then update UPSTREAM"
    )


@pytest.mark.parametrize("name", MODULES)
def test_override_is_in_the_package_table(name: str) -> None:
    assert f"| `{name}` |" in (overrides.__doc__ or "")


def test_a_changed_function_is_noticed() -> None:
    here = "streams.runtime.overrides.upstream"
    pins = {f"{here}.resolve": fingerprint(f"{here}.drifted")}
    assert drifted(pins) == [f"{here}.resolve"]


def test_properties_and_methods_resolve_to_functions() -> None:
    assert callable(resolve("faust.transport.drivers.aiokafka.Producer._producer_type"))
    assert resolve("faust.app.base.App._new_producer").__name__ == "_new_producer"


@pytest.mark.parametrize("package", ["faust-streaming", "mode-streaming", "aiokafka"])
def test_upstream_packages_have_an_upper_bound(package: str) -> None:
    """A minor release cannot arrive unnoticed: the dependency says `<` the next one."""
    spec = next(d for d in PYPROJECT["project"]["dependencies"] if d.startswith(package))
    assert "<" in spec, spec
