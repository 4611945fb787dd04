"""README.md stays true: every setting, every command and both quick-start commands."""

from __future__ import annotations

from pathlib import Path

from streams.cli import parser
from streams.settings import Settings

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`NEWSSTREAM_{name.upper()}`" in README, name


def test_every_command_is_documented() -> None:
    sub = next(a for a in parser()._actions if a.dest == "command")
    for command in sub.choices:  # type: ignore[union-attr]
        assert f"`newsstream {command}" in README, command


def test_quick_start_commands() -> None:
    assert "make run" in README and "make test" in README
