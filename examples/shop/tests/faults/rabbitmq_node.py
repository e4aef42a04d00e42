"""A RabbitMQ node of the tests' own, on ports and a data folder of its own, which they restart.

The node is started from the server's programs (``/usr/lib/rabbitmq/bin`` on Debian, or the
folder of ``rabbitmq-server`` on the PATH, or ``RABBITMQ_BIN``) with every place it writes
and listens on moved: its node name, AMQP and distribution ports, Mnesia and log folders, an
empty plugin list (no management listener) and a home of its own for its Erlang cookie. So
it can be stopped and started while the machine's own broker, if there is one, serves on.
"""

import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika
import pytest

SERVER_USER = "rabbitmq"  # the Debian package's; as root the node runs as this user
DEBIAN_PROGRAMS = Path("/usr/lib/rabbitmq/bin")


def rabbitmq_programs() -> Path | None:
    """Where ``rabbitmq-server`` and ``rabbitmqctl`` are, or ``None``."""
    if os.environ.get("RABBITMQ_BIN"):
        return Path(os.environ["RABBITMQ_BIN"])
    if (DEBIAN_PROGRAMS / "rabbitmq-server").is_file():
        return DEBIAN_PROGRAMS  # /usr/sbin's wrappers would switch user and home themselves
    found = shutil.which("rabbitmq-server")
    return Path(found).resolve().parent if found else None


@dataclass
class RabbitMqNode:
    """One RabbitMQ node under ``directory``, serving AMQP on 127.0.0.1:``port``."""

    programs: Path
    directory: Path
    port: int
    distribution_port: int
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return f"shop-faults-{self.port}@localhost"

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    @property
    def _user(self) -> str | None:
        return SERVER_USER if os.geteuid() == 0 else None

    def _environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "HOME": str(self.directory),  # its Erlang cookie, apart from any other node's
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.distribution_port),
            "RABBITMQ_MNESIA_BASE": str(self.directory / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.directory / "log"),
            "RABBITMQ_PID_FILE": str(self.directory / "node.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.directory / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.directory / "rabbitmq"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.directory / "advanced.config"),
            "RABBITMQ_CONF_ENV_FILE": str(self.directory / "rabbitmq-env.conf"),
        }

    def init(self) -> None:
        """Write the node's files: no plugins, so it opens no port but its own two."""
        (self.directory / "enabled_plugins").write_text("[].\n")
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            for path in (self.directory, self.directory / "enabled_plugins"):
                os.chown(path, user.pw_uid, user.pw_gid)

    def start(self, timeout: float = 60) -> float:
        """Start the node and wait until it takes AMQP connections; return the seconds."""
        started = time.monotonic()
        with (self.directory / "server.log").open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - the server's own program
                [str(self.programs / "rabbitmq-server")],
                env=self._environment(),
                cwd=self.directory,
                stdout=log,
                stderr=subprocess.STDOUT,
                user=self._user,
                group=self._user,
            )
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"rabbitmq-server exited with {self.process.returncode}: see server.log"
                )
            if asyncio.run(self._answers()):
                return time.monotonic() - started
            time.sleep(0.2)
        pytest.fail(f"the RabbitMQ node did not take connections within {timeout} s")

    async def _answers(self) -> bool:
        try:  # a closed port first: aio-pika logs every refused connection as an error
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                pass
        except OSError:
            return False
        try:
            connection = await aio_pika.connect(self.url, timeout=1)
        except (OSError, aio_pika.exceptions.AMQPError, TimeoutError):
            return False
        await connection.close()
        return True

    def stop(self, timeout: float = 60) -> None:
        """Stop the node cleanly (``rabbitmq-server`` turns SIGTERM into ``rabbitmqctl stop``)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def _ctl(self, *arguments: str) -> str:
        return subprocess.run(  # noqa: S603 - the server's own program, fixed arguments
            [str(self.programs / "rabbitmqctl"), "-n", self.name, *arguments],
            env=self._environment(),
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
            user=self._user,
            group=self._user,
        ).stdout

    @property
    def version(self) -> str:
        """The version of RabbitMQ's programs: ``3.10.8``."""
        return self._ctl("version").strip()

    def unacknowledged(self, queue: str) -> int:
        """How many messages of ``queue`` a consumer holds and has not acknowledged."""
        printed = self._ctl(
            *("list_queues", "--quiet", "--no-table-headers", "name", "messages_unacknowledged")
        )
        counts = dict(line.split("\t") for line in printed.splitlines() if "\t" in line)
        return int(counts.get(queue, "0"))
