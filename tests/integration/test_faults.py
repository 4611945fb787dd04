"""Nothing lost under faults: worker SIGKILLs, a rebalance, exactly-once, and SIGTERM shutdown."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest

from streams.dev.broker import DevBroker, free_port
from tests.integration.conftest import RunningWorker, start_worker
from tests.integration.faults import (
    Inputs,
    count_enriched,
    drain,
    fault_env,
    group_members,
    kill_points,
    locate,
    report,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIGURES = Path(__file__).parents[2] / "tests" / "fault_figures.jsonl"


async def _kill_worker_three_times(
    broker: DevBroker, env: dict[str, str], tmp_path: Path, inputs: Inputs, seed: int
) -> tuple[int, RunningWorker]:
    """Publish, then SIGKILL and restart the worker at three points; (kills, the running worker)."""
    await inputs.publish(broker.bootstrap, env["NEWSSTREAM_TOPIC_RAW"])
    worker = start_worker(env, tmp_path / "worker-0.log")
    kills = 0
    for point in kill_points(len(inputs.entry_ids), 3, seed):
        deadline = time.monotonic() + 180
        while await count_enriched(broker.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"]) < point:
            assert time.monotonic() < deadline, f"stalled before {point} entries:\n{worker.log_tail()}"
            await asyncio.sleep(0.2)
        worker.proc.send_signal(signal.SIGKILL)
        worker.proc.wait()
        kills += 1
        worker = start_worker(env, tmp_path / f"worker-{kills}.log")
    return kills, worker


@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once"])
async def test_worker_sigkilled_three_times_loses_nothing(
    broker: DevBroker, pipeline_env: dict[str, str], tmp_path: Path, guarantee: str
) -> None:
    env = {**fault_env(pipeline_env), "NEWSSTREAM_PROCESSING_GUARANTEE": guarantee}
    inputs = Inputs.make(2000, 20, seed=11)
    began = time.monotonic()
    kills, worker = await _kill_worker_three_times(broker, env, tmp_path, inputs, seed=5)
    isolation = "read_committed" if guarantee == "exactly_once" else "read_uncommitted"
    out = await drain(
        broker.bootstrap,
        env["NEWSSTREAM_TOPIC_ENRICHED"],
        env["NEWSSTREAM_TOPIC_DEADLETTER"],
        inputs,
        isolation=isolation,
    )
    code = worker.stop()
    figures = report(
        f"worker SIGKILL x3 ({guarantee})", inputs, out, kills, time.monotonic() - began, FIGURES
    )
    assert code == 0
    assert figures["entries_lost"] == 0
    assert len(out.dead_letters) == len(inputs.bad)
    # every input ends as entries or a dead letter
    assert out.articles == set(inputs.expected)
    if guarantee == "exactly_once":
        assert out.duplicates == 0
        assert out.dead_letter_records == len(out.dead_letters)


async def _wait_enriched(bootstrap: str, topic: str, at_least: int, *workers: RunningWorker) -> None:
    deadline = time.monotonic() + 180
    while await count_enriched(bootstrap, topic) < at_least:
        for worker in workers:
            assert worker.proc.poll() is None, f"worker exited:\n{worker.log_tail()}"
        assert time.monotonic() < deadline, f"stalled before {at_least} entries"
        await asyncio.sleep(0.2)


async def test_exactly_once_holds_while_a_second_worker_joins_and_leaves(
    broker: DevBroker, pipeline_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**fault_env(pipeline_env), "NEWSSTREAM_PROCESSING_GUARANTEE": "exactly_once"}
    second_env = {
        **env,
        "NEWSSTREAM_WEB_PORT": str(free_port()),
        "NEWSSTREAM_STATE_DIR": str(tmp_path / "state-second"),
    }
    inputs = Inputs.make(1500, 10, seed=13)
    enriched = env["NEWSSTREAM_TOPIC_ENRICHED"]
    began = time.monotonic()
    await inputs.publish(broker.bootstrap, env["NEWSSTREAM_TOPIC_RAW"])
    first = start_worker(env, tmp_path / "first.log")
    try:
        await _wait_enriched(broker.bootstrap, enriched, len(inputs.entry_ids) // 4, first)
        second = start_worker(second_env, tmp_path / "second.log")  # joins: a rebalance
        await _wait_enriched(broker.bootstrap, enriched, len(inputs.entry_ids) // 2, first, second)
        left = second.stop()  # leaves: another rebalance
        out = await drain(
            broker.bootstrap, enriched, env["NEWSSTREAM_TOPIC_DEADLETTER"], inputs, isolation="read_committed"
        )
        survived = first.proc.poll() is None
    finally:
        code = first.stop()
    figures = report(
        "second worker joins and leaves (exactly_once)", inputs, out, 0, time.monotonic() - began, FIGURES
    )
    assert survived, f"the first worker stopped in the rebalance:\n{first.log_tail()}"
    assert (code, left) == (0, 0)
    assert figures["entries_lost"] == 0
    assert out.duplicates == 0
    assert len(out.dead_letters) == out.dead_letter_records == len(inputs.bad)


async def _sigterm_run(
    broker: DevBroker, env: dict[str, str], tmp_path: Path
) -> tuple[int, float, Inputs, RunningWorker]:
    inputs = Inputs.make(300, 0, seed=12)
    worker = start_worker(env, tmp_path / "worker.log")
    await inputs.publish(broker.bootstrap, env["NEWSSTREAM_TOPIC_RAW"])
    while (
        await count_enriched(broker.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"]) < len(inputs.entry_ids) // 3
    ):
        await asyncio.sleep(0.2)
    began = time.monotonic()
    code = worker.stop(timeout=30)
    return code, time.monotonic() - began, inputs, worker


async def test_sigterm_drains_commits_and_exits_zero_within_ten_seconds(
    broker: DevBroker, pipeline_env: dict[str, str], tmp_path: Path
) -> None:
    code, took, _, _ = await _sigterm_run(broker, fault_env(pipeline_env), tmp_path)
    print(f"\nSIGTERM shutdown took {took:.2f}s")
    assert code == 0
    assert took < 10, f"shutdown took {took:.1f}s"


async def test_sigterm_leaves_the_consumer_group(
    broker: DevBroker, pipeline_env: dict[str, str], tmp_path: Path
) -> None:
    # A long session: a worker that exited without leaving stays a member for a minute.
    env = {**fault_env(pipeline_env), "NEWSSTREAM_SESSION_TIMEOUT": "60"}
    code, _, _, stopped = await _sigterm_run(broker, env, tmp_path)
    assert code == 0
    state, members = await group_members(broker.bootstrap, env["NEWSSTREAM_APP_ID"])
    assert (state, members) == ("Empty", 0), stopped.log_tail()


async def test_sigterm_then_restart_loses_nothing(
    broker: DevBroker, pipeline_env: dict[str, str], tmp_path: Path
) -> None:
    env = fault_env(pipeline_env)
    code, _, inputs, stopped = await _sigterm_run(broker, env, tmp_path)
    assert code == 0
    began = time.monotonic()
    rest = start_worker(env, tmp_path / "worker2.log")
    print(f"\nworker started in its place: ready (partitions assigned) in {time.monotonic() - began:.1f}s")
    out = await drain(
        broker.bootstrap,
        env["NEWSSTREAM_TOPIC_ENRICHED"],
        env["NEWSSTREAM_TOPIC_DEADLETTER"],
        inputs,
        timeout=90,
    )
    assert rest.stop() == 0
    missing = inputs.entry_ids - out.entry_ids()
    print(f"\nafter SIGTERM and restart: {len(missing)} missing, {out.duplicates} duplicates")
    if missing:
        where = await locate(
            broker.bootstrap, env["NEWSSTREAM_TOPIC_ENTRIES"], env["NEWSSTREAM_APP_ID"], missing
        )
        print(f"missing entries on {env['NEWSSTREAM_TOPIC_ENTRIES']}: {where}")
    assert not missing
    # A drain that finished in time leaves nothing to do again (one that did not says so).
    if "not finished in time" not in stopped.log.read_text(errors="replace"):
        assert out.duplicates == 0
