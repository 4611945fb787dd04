"""The command line, as a user runs it: `newsstream process`, errors, --help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from schemas import EnrichedEntry
from tests.conftest import grown_liveblog

CLI = [sys.executable, "-m", "streams.cli"]


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI with `args`; `env` adds variables to this process's environment."""
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_process_prints_enriched_entries(data_dir: Path) -> None:
    proc = run("process", str(data_dir / "liveblog_times.txt"))
    assert proc.returncode == 0, proc.stderr
    entries = [EnrichedEntry.model_validate(orjson.loads(line)) for line in proc.stdout.splitlines()]
    assert [e.time_label for e in entries] == ["14:32", "13:50", "12:15"]
    assert all(e.tags for e in entries)


def test_process_reads_stdin_and_html(data_dir: Path) -> None:
    html = (data_dir / "liveblog.html").read_text()
    proc = run("process", "--content-type", "text/html", "-", stdin=html)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 2


def test_process_json_and_jsonl(tmp_path: Path) -> None:
    one = {"source": "feed", "content": "Title\nA paragraph about Paris.", "url": "https://n.test/1"}
    (tmp_path / "a.json").write_bytes(orjson.dumps(one))
    two = {**one, "url": "https://n.test/2", "content": "Title two\nA paragraph about Lyon."}
    three = {**one, "url": "https://n.test/3", "content": "Title three\nA paragraph about Nice."}
    (tmp_path / "b.jsonl").write_bytes(orjson.dumps(two) + b"\n" + orjson.dumps(three))
    proc = run("process", str(tmp_path / "a.json"), str(tmp_path / "b.jsonl"))
    assert proc.returncode == 0, proc.stderr
    sources = [orjson.loads(line)["source"] for line in proc.stdout.splitlines()]
    assert sources == ["feed", "feed", "feed"]


def test_bad_files_get_a_clear_error_and_the_rest_still_runs(tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"source": "s"}\n')
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"caf\xe9 au lait")
    proc = run("process", str(bad), str(latin1), str(tmp_path / "missing.txt"), str(data_dir / "article.txt"))
    assert proc.returncode == 1
    assert f"{bad}:1" in proc.stderr and "missing_field" in proc.stderr
    assert "invalid_utf8" in proc.stderr and "unreadable_file" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stdout.splitlines()) == 1


@pytest.mark.parametrize("command", ["worker", "process", "produce", "tail", "broker", "demo"])
def test_every_command_has_help(command: str) -> None:
    proc = run(command, "--help")
    assert proc.returncode == 0 and "usage: newsstream" in proc.stdout


def test_a_bad_setting_is_a_clear_error() -> None:
    proc = run("worker", env={"NEWSSTREAM_STATE_WINDOW_HOURS": "0"})
    assert proc.returncode == 2
    assert "invalid_setting: NEWSSTREAM_STATE_WINDOW_HOURS: Input should be greater than 0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unreachable_broker_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\nBody.")
    env_port = "1"  # nothing listens on port 1
    proc = run(
        "produce", str(tmp_path / "a.txt"), env={"NEWSSTREAM_BROKER_URL": f"kafka://127.0.0.1:{env_port}"}
    )
    assert proc.returncode == 2
    assert "broker_unavailable" in proc.stderr and "Traceback" not in proc.stderr


def test_process_prints_only_new_or_changed_entries_of_a_grown_liveblog(tmp_path: Path) -> None:
    (tmp_path / "v1.txt").write_text(grown_liveblog(2))
    (tmp_path / "v2.txt").write_text(grown_liveblog(3, edited=True))
    proc = run(
        "process", "--url", "https://n.test/flood-live", str(tmp_path / "v1.txt"), str(tmp_path / "v2.txt")
    )
    assert proc.returncode == 0, proc.stderr
    out = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert [(e["headline"], e["revision"]) for e in out] == [
        ("Update number 2 from the river", 1),
        ("Update number 1 from the river", 1),
        ("Update number 3 from the river", 1),
        ("Update number 1 from the river", 2),
    ]
    assert out[1]["entry_id"] == out[3]["entry_id"]


def test_process_learns_lines_a_source_repeats(tmp_path: Path) -> None:
    shared = "Read the rest of our coverage on the regional desk page"
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(
            f"Story {i} about the harbour\nThe harbour reopened after repairs number {i}.\n{shared}\n"
        )
    files = [str(tmp_path / f"a{i}.txt") for i in range(3)]
    learnt = run("process", "--source", "regional", *files)
    assert learnt.returncode == 0 and learnt.stdout.count("\n") == 3
    assert shared not in learnt.stdout
    alone = run("process", "--source", "regional", *files[:2])
    assert shared in alone.stdout


def test_no_split_keeps_everything(data_dir: Path) -> None:
    proc = run("process", "--no-split", str(data_dir / "article.txt"))
    [entry] = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert entry["kind"] == "article" and "Share on Facebook" in entry["body"]
