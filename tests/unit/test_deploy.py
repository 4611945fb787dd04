"""Deployment files agree with the app: ports, paths, topics, metric names, and the real tools."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import CollectorRegistry, generate_latest

from streams.metrics import Metrics
from streams.settings import Settings
from tests.tools import require

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
METRIC = re.compile(r"\bnewsstream_[a-z_]+")


def _k8s() -> dict[str, dict[str, Any]]:
    docs = {}
    for path in (DEPLOY / "k8s").glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            docs[doc["kind"]] = doc
    return docs


def exposed_metric_names() -> set[str]:
    """Every sample name a worker exposes once work has been done."""
    m = Metrics.create(CollectorRegistry())
    m.entries_produced.labels("enrich", "post").inc()
    m.tags.labels("person").inc()
    m.dead_letters.labels("split", "invalid_json").inc()
    m.send_errors.labels("news.entries").inc()
    m.stage_duration.labels("split").observe(0.01)
    m.consumer_lag.labels("news.articles.raw", "0").set(1)
    m.last_processed.labels("split").set(1)
    m.stories_marked.labels("copy").inc()
    m.story_index_keys.labels("story-bands").set(1)
    text = generate_latest(m.registry).decode()
    return {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and line[0] != "#"}


def test_deployment_probes_ports_and_resources_match_the_app() -> None:
    docs, settings = _k8s(), Settings()
    container = docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports["http"] == settings.web_port == int(docs["ConfigMap"]["data"]["NEWSSTREAM_WEB_PORT"])
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert docs["Deployment"]["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= 10
    assert docs["Service"]["spec"]["ports"][0]["targetPort"] == "http"
    assert docs["PodMonitor"]["spec"]["podMetricsEndpoints"][0]["path"] == "/metrics"


def test_selectors_match_the_pod_labels() -> None:
    docs = _k8s()
    labels = docs["Deployment"]["spec"]["template"]["metadata"]["labels"]
    for kind in ("PodDisruptionBudget", "PodMonitor"):
        assert docs[kind]["spec"]["selector"]["matchLabels"].items() <= labels.items(), kind
    assert docs["Service"]["spec"]["selector"].items() <= labels.items()
    assert docs["ScaledObject"]["spec"]["scaleTargetRef"]["name"] == docs["Deployment"]["metadata"]["name"]


def test_keda_scales_on_the_input_topic_of_the_consumer_group() -> None:
    docs, settings = _k8s(), Settings()
    trigger = docs["ScaledObject"]["spec"]["triggers"][0]
    assert trigger["type"] == "kafka"
    assert trigger["metadata"]["topic"] == settings.topic_raw
    assert trigger["metadata"]["consumerGroup"] == docs["ConfigMap"]["data"]["NEWSSTREAM_APP_ID"]


def test_configmap_and_secret_hold_only_known_settings() -> None:
    known = {f"NEWSSTREAM_{name.upper()}" for name in Settings.model_fields}
    assert set(_k8s()["ConfigMap"]["data"]) <= known
    secret = yaml.safe_load((DEPLOY / "k8s" / "secret.example.yaml").read_text())
    assert set(secret["stringData"]) <= known
    assert all(v.startswith("<") for k, v in secret["stringData"].items() if "PASSWORD" in k)


def test_dashboard_and_alerts_use_only_exposed_metrics() -> None:
    exposed = exposed_metric_names()
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "newsstream.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    alerts = (DEPLOY / "prometheus" / "alerts.yml").read_text()
    used = {name for text in [*exprs, alerts] for name in METRIC.findall(text)}
    assert used, "no newsstream metric found in the dashboard or the alerts"
    assert used - exposed == set()
    titles = " ".join(p["title"].lower() for p in dashboard["panels"])
    for word in (
        "throughput",
        "latency",
        "lag",
        "dead letters",
        "tags",
        "rebalances",
        "stories",
        "band index",
    ):
        assert word in titles


def test_promtool_checks_config_and_rules_and_runs_the_rule_tests() -> None:
    promtool = require("promtool")
    for args in (
        ["check", "config", "prometheus.yml"],
        ["check", "rules", "alerts.yml"],
        ["test", "rules", "tests/alerts_test.yml"],
    ):
        proc = subprocess.run(
            [promtool, *args], cwd=DEPLOY / "prometheus", capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compose_file_is_valid() -> None:
    compose = require("docker-compose")
    proc = subprocess.run([compose, "config", "-q"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {"kafka", "topics", "worker", "producer", "prometheus", "grafana"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:")


def test_dockerfile_is_multistage_non_root_and_health_checked() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2  # a build stage and a runtime stage
    assert re.search(r"^USER (?!root)\S+", text, re.M)
    assert "HEALTHCHECK" in text and "/health" in text
