"""The installed shop served in a process of its own, for the runbook tests.

The fault tests' ``serve`` starts it on a database of the tests' own PostgreSQL server;
the runbooks start it on any environment, and a release that is not ready by design.
"""

import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from ..fault_servers import SHOP_SCRIPT, free_port  # noqa: TID252 - shared with the fault tests


@contextmanager
def serving(  # noqa: PLR0913 - each a way in which the runbooks' releases differ
    environment: dict[str, str],
    workdir: Path,
    *,
    log: str = "server.log",
    health: str = "ready",
    program: Sequence[str] = (str(SHOP_SCRIPT),),
    timeout: float = 30,
) -> Iterator[str]:
    """Run a release's ``serve`` with ``environment`` until the block ends.

    Yields its URL once ``GET /api/v1/health/{health}`` answers 200 within ``timeout``
    seconds: ``live`` for a release that is not ready by design. ``program`` is the
    installed shop unless a test serves another release. The output goes to ``log`` in
    ``workdir``, appended, so a shop served again in one test keeps the earlier runs' lines.
    """
    port = free_port()
    with (workdir / log).open("a") as output:
        server = subprocess.Popen(  # noqa: S603 - our own programs, fixed arguments
            [*program, "serve", "--port", str(port)],
            env=environment,
            cwd=workdir,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until(f"{url}/api/v1/health/{health}", server, log, timeout)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_until(probe: str, server: subprocess.Popen[bytes], log: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"shop serve exited with status {server.returncode}; see {log}")
        try:
            if httpx.get(probe, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{probe} did not answer 200 within {timeout} s")
