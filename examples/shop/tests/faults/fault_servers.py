"""A PostgreSQL server of the tests' own, and the installed shop served on it.

The server is made with ``initdb`` and run with ``pg_ctl`` on a free port under a temporary
folder, so it can be stopped, frozen (every one of its processes sent ``SIGSTOP``), thawed
and started again while the shop serves, which a shared server must never be.
"""

import asyncio
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.security.jwt_access_tokens import JwtAccessTokens
from identity.infrastructure.security.signing_keys import KeySet, SigningKey, save_key_set
from shared_kernel.tenancy import TenantId
from shop.bootstrap import bootstrap
from shop.infrastructure.database.schema import MIGRATIONS
from shop.presentation.cli.seed import seed
from shop.settings import Settings

SHOP_SCRIPT = Path(sys.executable).parent / "shop"
SERVER_USER = "postgres"  # PostgreSQL refuses to run as root; its package makes this user


def server_programs() -> Path | None:
    """Where initdb and pg_ctl are: ``PG_BIN``, the PATH, or the newest Debian server."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version)
    return installed[-1].parent if installed else None


def _version(initdb: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in initdb.parent.parent.name.split(".") if part.isdigit())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    """One PostgreSQL cluster under ``directory``, on 127.0.0.1:``port``."""

    programs: Path
    directory: Path
    port: int

    @property
    def version(self) -> str:
        """The server's version, as ``postgres --version`` prints it: ``15.10``."""
        printed = subprocess.run(  # noqa: S603 - the server's own program, fixed arguments
            [str(self.programs / "postgres"), "--version"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        found = re.search(r"\(PostgreSQL\) (\S+)", printed)
        return found[1] if found else printed.strip()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def _run(self, program: str, *args: str) -> None:
        as_user = ["runuser", "-u", SERVER_USER, "--"] if os.geteuid() == 0 else []
        subprocess.run(  # noqa: S603 - the server's own programs, fixed arguments
            [*as_user, str(self.programs / program), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def init(self) -> None:
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        self._run(
            "initdb",
            *("--pgdata", str(self.data), "--username", "postgres", "--auth", "trust"),
            *("--no-sync", "--no-instructions"),
        )

    def start(self) -> None:
        # fsync off: the server is stopped, frozen and killed here, never the machine,
        # so the operating system keeps what the server wrote either way.
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c unix_socket_directories={self.directory}"
        )
        self._run(
            "pg_ctl",
            *("start", "--pgdata", str(self.data), "--wait", "-o", options),
            *("--log", str(self.directory / "server.log")),
        )

    def stop(self, mode: str) -> None:
        """Stop the server: ``fast`` (clean) or ``immediate`` (a crash, recovered at start)."""
        self._run("pg_ctl", "stop", "--pgdata", str(self.data), "--wait", "--mode", mode)

    def _processes(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
        return [postmaster, *map(int, children)]

    def freeze(self) -> None:
        """Stop every process of the server where it stands: it accepts, then says nothing."""
        for pid in self._processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self._processes():
            os.kill(pid, signal.SIGCONT)

    def restore(self) -> None:
        """Leave the server running, whatever a failed test left it in."""
        if (self.data / "postmaster.pid").exists():
            self.thaw()
        else:
            self.start()

    def create_database(self, name: str, template: str = "template1") -> str:
        """Create the database ``name`` as a copy of ``template``; return its URL."""

        async def create() -> None:
            # AUTOCOMMIT: CREATE DATABASE refuses to run inside a transaction.
            engine = create_async_engine(self.url(), isolation_level="AUTOCOMMIT")
            try:
                async with engine.connect() as connection:
                    await connection.execute(
                        text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                    )
            finally:
                await engine.dispose()

        asyncio.run(create())
        return self.url(name)


@dataclass
class Shop:
    """The installed shop, served on ``url`` from a database of its own.

    ``owner`` is the ``Authorization`` header of an owner of acme, whose token this
    process signed with the key set it gave the server.
    """

    url: str
    environment: dict[str, str]
    owner: dict[str, str]


def owner_of_acme(keys_file: Path) -> dict[str, str]:
    """Write a key set to ``keys_file``, and sign an acme owner's token with it, for an hour."""
    keys = KeySet((SigningKey.generate(datetime.now(UTC)),))
    save_key_set(keys, keys_file)
    fields = Settings.model_fields
    tokens = JwtAccessTokens(
        keys,
        issuer=fields["auth_issuer"].default,
        audience=fields["auth_audience"].default,
        lifetime=timedelta(hours=1),
    )
    owner = [Membership(TenantId("acme"), Role.OWNER)]
    return {"Authorization": f"Bearer {tokens.issue(str(UserId.new().value), owner).token}"}


def prepare(cluster: Cluster, name: str) -> str:
    """Create the database ``name``, migrated and seeded, to be copied by each test."""
    asyncio.run(_migrate_and_seed(cluster.create_database(name)))
    return name


async def _migrate_and_seed(url: str) -> None:
    """Migrate the database at ``url`` and seed the demo tenants, as ``shop`` would.

    In this process rather than by running ``shop db upgrade`` and ``shop seed``: two
    interpreters fewer to start, the same code.
    """
    services = bootstrap(Settings(_env_file=None, database_url=SecretStr(url), redis_url=None))
    try:
        await MIGRATIONS.upgrade(services.engine)
        await seed(services)
    finally:
        await services.engine.dispose()


@contextmanager
def serve(
    cluster: Cluster, template: str, database: str, workdir: Path, **settings: str
) -> Iterator[Shop]:
    """Serve the shop on ``database``, a copy of ``template``, until the test ends."""
    if not SHOP_SCRIPT.is_file():
        pytest.fail(f"{SHOP_SCRIPT} is missing: install the shop wheel first")
    keys_file = workdir / "signing-keys.json"
    owner = owner_of_acme(keys_file)
    environment = {
        **os.environ,
        "DATABASE_URL": cluster.create_database(database, template),
        "LOG_LEVEL": "WARNING",
        "AUTH_KEYS_FILE": str(keys_file),
        **settings,
    }
    port = free_port()
    with (workdir / "server.log").open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own installed script, fixed arguments
            [str(SHOP_SCRIPT), "serve", "--port", str(port)],
            env=environment,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_ready(url, server)
            yield Shop(url, environment, owner)
        finally:
            server.terminate()
            server.wait(timeout=10)


def wait_until_ready(url: str, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"shop serve exited with status {server.returncode}; see server.log")
        try:
            if httpx.get(f"{url}/api/v1/health/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"shop serve was not ready within {timeout} s")
