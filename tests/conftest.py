"""Shared test helpers: the fixture folder."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).with_name("data")


@pytest.fixture
def data_dir() -> Path:
    return DATA


def read_data(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def grown_liveblog(posts: int, edited: bool = False) -> str:
    """A timestamped live blog with `posts` posts, newest first; `edited` rewrites post 1."""
    lines = ["Flood live: rivers rise across the region"]
    for i in range(posts, 0, -1):
        body = f"Water levels at gauge {i} rose overnight, the agency said."
        if edited and i == 1:
            body = "Water levels at gauge 1 fell back by the afternoon, the agency said."
        lines += [f"{10 + i}:00", f"Update number {i} from the river", body]
    return "\n".join(lines) + "\n"
