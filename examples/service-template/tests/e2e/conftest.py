"""The installed service, started as a real process: the ``app`` console script.

These tests run only against an installed wheel: the script must sit beside the Python
that runs pytest, and ``app`` must be imported from site-packages, not from a checkout.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

APP_SCRIPT = Path(sys.executable).parent / "app"
STARTUP_TIMEOUT_SECONDS = 30


def run_app(*args: str, environment: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``app`` command to completion."""
    return subprocess.run(  # noqa: S603 - our own installed script, fixed arguments
        [str(APP_SCRIPT), *args],
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
    if not APP_SCRIPT.is_file():
        pytest.fail(f"{APP_SCRIPT} is missing: install the service-template wheel first")
    return tmp_path_factory.mktemp("service")


@pytest.fixture(scope="session")
def environment(workdir: Path) -> dict[str, str]:
    """The environment of every ``app`` process: a fresh SQLite file, whatever is set."""
    return {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'e2e.db'}"}


@pytest.fixture(scope="session")
def app_command(
    workdir: Path, environment: dict[str, str]
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Runs the installed ``app`` with the test database, e.g. ``app_command("db", "upgrade")``."""
    return lambda *args: run_app(*args, environment=environment, cwd=workdir)


@pytest.fixture(scope="session")
def base_url(workdir: Path, environment: dict[str, str]) -> Iterator[str]:
    """Upgrade the database, start ``app serve`` and wait until it is ready."""
    upgrade = run_app("db", "upgrade", environment=environment, cwd=workdir)
    assert upgrade.returncode == 0, upgrade.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (workdir / "server.log").open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own installed script, fixed arguments
            [str(APP_SCRIPT), "serve", "--port", str(port)],
            env=environment,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(url, server)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"app serve exited with status {server.returncode}; see server.log")
        try:
            httpx.get(f"{url}/api/v1/health/ready", timeout=1).raise_for_status()
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return
    pytest.fail(f"app serve did not answer within {STARTUP_TIMEOUT_SECONDS} s")
