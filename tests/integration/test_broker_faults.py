"""Nothing lost when a broker dies: SIGKILL and restart of one broker; a leader kill in a 3-node cluster."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from streams.dev.broker import DevBroker, DevCluster, free_port
from tests.integration.conftest import RunningWorker, isolated_env, kafka_only, running, start_worker
from tests.integration.faults import Inputs, count_enriched, drain, fault_env, report

pytestmark = [pytest.mark.integration, pytest.mark.slow, kafka_only]

FIGURES = Path(__file__).parents[2] / "tests" / "fault_figures.jsonl"


def _env(bootstrap: str, replication: int = 1) -> dict[str, str]:
    return fault_env(isolated_env(bootstrap, "bf", NEWSSTREAM_TOPIC_REPLICATION=str(replication)))


async def _wait_enriched(bootstrap: str, topic: str, at_least: int, worker: RunningWorker) -> None:
    deadline = time.monotonic() + 180
    while await count_enriched(bootstrap, topic) < at_least:
        assert worker.proc.poll() is None, f"worker exited:\n{worker.log_tail()}"
        assert time.monotonic() < deadline, f"stalled before {at_least} entries:\n{worker.log_tail()}"
        await asyncio.sleep(0.2)


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[DevBroker]:
    broker = DevBroker(engine="kafka", port=free_port(), data_dir=tmp_path / "broker")
    with running(broker, timeout=180):
        yield broker


@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once"])
async def test_broker_sigkilled_and_restarted_on_its_data_loses_nothing(
    own_broker: DevBroker, tmp_path: Path, guarantee: str
) -> None:
    env = {**_env(own_broker.bootstrap), "NEWSSTREAM_PROCESSING_GUARANTEE": guarantee}
    isolation = "read_committed" if guarantee == "exactly_once" else "read_uncommitted"
    inputs = Inputs.make(1000, 10, seed=21)
    began = time.monotonic()
    await inputs.publish(own_broker.bootstrap, env["NEWSSTREAM_TOPIC_RAW"])
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        await _wait_enriched(
            own_broker.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"], len(inputs.entry_ids) // 3, worker
        )
        own_broker.kill()
        await asyncio.sleep(3)
        own_broker.start()
        await asyncio.to_thread(own_broker.wait_ready, 120)
        out = await drain(
            own_broker.bootstrap,
            env["NEWSSTREAM_TOPIC_ENRICHED"],
            env["NEWSSTREAM_TOPIC_DEADLETTER"],
            inputs,
            isolation=isolation,
        )
        survived = worker.proc.poll() is None
    finally:
        code = worker.stop()
    figures = report(
        f"broker SIGKILL + restart ({guarantee})", inputs, out, 1, time.monotonic() - began, FIGURES
    )
    assert survived, f"the worker did not ride out the broker restart:\n{worker.log_tail()}"
    assert figures["entries_lost"] == 0, f"entries lost; the worker's log:\n{worker.log_tail()}"
    assert code == 0, f"worker exit code {code}:\n{worker.log_tail()}"
    assert len(out.dead_letters) == len(inputs.bad)
    if guarantee == "exactly_once":
        assert out.duplicates == 0
        assert out.dead_letter_records == len(out.dead_letters)


async def _leader_of(bootstrap: str, topic: str) -> int:
    """The node id leading partition 0 of `topic`."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
        leaders = {p["partition"]: p["leader"] for p in described["partitions"]}
        return int(leaders[0])
    finally:
        await admin.close()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[DevCluster]:
    nodes = DevCluster(3, tmp_path / "cluster")
    with running(nodes, timeout=240):
        yield nodes


async def test_killing_the_input_leader_of_a_three_node_cluster_loses_nothing(
    cluster: DevCluster, tmp_path: Path
) -> None:
    env = _env(cluster.bootstrap, replication=3)
    inputs = Inputs.make(1000, 10, seed=22)
    began = time.monotonic()
    raw = env["NEWSSTREAM_TOPIC_RAW"]
    await inputs.publish(cluster.bootstrap, raw, replication=3)
    worker = start_worker(env, tmp_path / "worker.log", timeout=180)
    try:
        await _wait_enriched(
            cluster.bootstrap, env["NEWSSTREAM_TOPIC_ENRICHED"], len(inputs.entry_ids) // 3, worker
        )
        leader = await _leader_of(cluster.bootstrap, raw)
        victim = cluster.nodes[leader - 1]
        victim.kill()
        alive = ",".join(n.bootstrap for n in cluster.nodes if n is not victim)
        out = await drain(alive, env["NEWSSTREAM_TOPIC_ENRICHED"], env["NEWSSTREAM_TOPIC_DEADLETTER"], inputs)
        survived = worker.proc.poll() is None
    finally:
        code = worker.stop()
    figures = report(
        f"3-node cluster, leader (node {leader}) SIGKILL", inputs, out, 1, time.monotonic() - began, FIGURES
    )
    assert survived, f"the worker stopped when the leader died:\n{worker.log_tail()}"
    assert figures["entries_lost"] == 0, f"entries lost; the worker's log:\n{worker.log_tail()}"
    assert code == 0, f"worker exit code {code}:\n{worker.log_tail()}"
    assert len(out.dead_letters) == len(inputs.bad)
