"""External tools some tests need (promtool, prometheus, docker-compose).

`.ci/run` installs them, and under CI a missing tool fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require(tool: str) -> str:
    """The tool's path; skip locally when it is missing, fail under CI."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (Debian: apt-get install prometheus docker-compose)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
