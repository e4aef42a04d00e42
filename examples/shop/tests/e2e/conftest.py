"""The installed shop, started as a real process: the ``shop`` console script.

These tests run only against an installed wheel: the script must sit beside the Python
that runs pytest, and ``shop`` must be imported from site-packages, not from a checkout.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest

SHOP_SCRIPT = Path(sys.executable).parent / "shop"
STARTUP_TIMEOUT_SECONDS = 30

ShopCommand = Callable[..., subprocess.CompletedProcess[str]]


def run_shop(
    *args: str, environment: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``shop`` command to completion."""
    return subprocess.run(  # noqa: S603 - our own installed script, fixed arguments
        [str(SHOP_SCRIPT), *args],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SHOP_SCRIPT.is_file():
        pytest.fail(f"{SHOP_SCRIPT} is missing: install the shop wheel first")
    return tmp_path_factory.mktemp("shop")


@pytest.fixture(scope="session")
def environment(workdir: Path) -> dict[str, str]:
    """The environment of every ``shop`` process: a fresh SQLite file, whatever is set.

    Access tokens last an hour, the longest the settings allow, so that the owner's
    token, got once, outlasts the session.
    """
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'e2e.db'}",
        "ACCESS_TOKEN_LIFETIME": "3600",
    }


@pytest.fixture(scope="session")
def shop_command(workdir: Path, environment: dict[str, str]) -> ShopCommand:
    """Runs the installed ``shop`` on the test database, e.g. ``shop_command("seed")``."""
    return lambda *args: run_shop(*args, environment=environment, cwd=workdir)


@contextmanager
def serving(workdir: Path, environment: dict[str, str], *options: str) -> Iterator[str]:
    """Start ``shop serve`` with ``options`` on a free port; stop it afterwards.

    It logs to ``server.log`` in ``workdir``, or with options, to ``server-PORT.log``.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (workdir / (f"server-{port}.log" if options else "server.log")).open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own installed script, fixed arguments
            [str(SHOP_SCRIPT), "serve", "--port", str(port), *options],
            env=environment,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(url, server)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def start_shop(
    workdir: Path, environment: dict[str, str]
) -> Callable[..., AbstractContextManager[str]]:
    """Starts another ``shop serve``, e.g. ``with start_shop("--header-timeout", "1") as url``."""
    return lambda *options: serving(workdir, environment, *options)


@pytest.fixture(scope="session")
def base_url(
    workdir: Path, environment: dict[str, str], shop_command: ShopCommand
) -> Iterator[str]:
    """Upgrade the database, seed it, start ``shop serve`` and wait until it is healthy."""
    for command in (["db", "upgrade"], ["seed"]):
        completed = shop_command(*command)
        assert completed.returncode == 0, completed.stderr
    with serving(workdir, environment) as url:
        yield url


SignIn = Callable[..., dict[str, str]]


@pytest.fixture(scope="session")
def sign_in(base_url: str, shop_command: ShopCommand) -> SignIn:
    """``sign_in("acme", role="clerk")``: a new user's ``Authorization`` header, as a user gets one.

    Registered over HTTP, made a member of each tenant on the command line, logged in at
    the token endpoint: the token carries the memberships granted before the login.
    """
    count = iter(range(1_000_000))

    def member_of(*tenants: str, role: str = "owner") -> dict[str, str]:
        email, password = f"user-{next(count)}@example.org", "a-password-for-the-e2e-suite"
        account = {"email": email, "display_name": "E2E", "password": password}
        httpx.post(f"{base_url}/api/v1/auth/register", json=account).raise_for_status()
        for tenant in tenants:
            granted = shop_command("users", "grant", email, tenant, role)
            assert granted.returncode == 0, granted.stderr
        form = {"grant_type": "password", "username": email, "password": password}
        login = httpx.post(f"{base_url}/api/v1/auth/token", data=form)
        login.raise_for_status()
        return {"Authorization": f"Bearer {login.json()['access_token']}"}

    return member_of


@pytest.fixture(scope="session")
def owner(sign_in: SignIn) -> dict[str, str]:
    """The ``Authorization`` header of an owner of both demo tenants, signed in once."""
    return sign_in("acme", "globex")


def wait_until_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"shop serve exited with status {server.returncode}; see server.log")
        try:
            httpx.get(f"{url}/api/v1/health/ready", timeout=1).raise_for_status()
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return
    pytest.fail(f"shop serve did not answer within {STARTUP_TIMEOUT_SECONDS} s")
