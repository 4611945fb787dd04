"""`newsstream demo --exit-after N` against the session broker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def demo(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `newsstream demo ARGS` on the test's own topics and cache dir."""
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", "demo", *args],
        capture_output=True,
        text=True,
        env={**env, "NEWSSTREAM_CACHE_DIR": str(tmp_path)},
        timeout=240,
        check=False,
    )


def test_demo_exits_after_n_entries(pipeline_env: dict[str, str], tmp_path: Path) -> None:
    proc = demo(pipeline_env, tmp_path, "--exit-after", "9", "--timeout", "120")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "first enriched entry after" in proc.stdout
    assert proc.stdout.count("\n[") == 9  # one line per entry, each starting with its kind
    assert "/metrics" in proc.stdout


def test_demo_fails_clearly_when_entries_do_not_come(pipeline_env: dict[str, str], tmp_path: Path) -> None:
    proc = demo(pipeline_env, tmp_path, "--exit-after", "1000", "--timeout", "15")
    assert proc.returncode == 1
    assert "of 1000 enriched entries after 15s" in proc.stderr
