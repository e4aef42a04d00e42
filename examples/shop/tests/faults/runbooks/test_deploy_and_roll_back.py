"""The runbook "deploy a release, and roll it back", walked with a release that is never ready.

Two releases of the installed shop run as processes, as two replicas would: the serving
one on a PostgreSQL server of the test's own, and a new one whose configuration names a
database that does not exist, the kind of mistake a changed Secret or a new setting
brings. The new one starts and answers liveness, and never readiness. The test runs each
step of the runbook (``runbooks/deploy-and-roll-back.md``) as written, does the
platform's steps itself (start the new release; roll back by stopping it), and asserts
what the runbook says each step prints.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ..fault_servers import SHOP_SCRIPT, Cluster, free_port, serve  # noqa: TID252 - shared
from .test_database_down import run, steps

RUNBOOK = Path(__file__).parents[3] / "runbooks" / "deploy-and-roll-back.md"


def started_release(
    environment: dict[str, str], workdir: Path
) -> tuple[subprocess.Popen[bytes], str]:
    """The new release, serving on a port of its own; returned once it answers liveness."""
    port = free_port()
    with (workdir / "new.log").open("w") as log:
        release = subprocess.Popen(  # noqa: S603 - our own installed script, fixed arguments
            [str(SHOP_SCRIPT), "serve", "--port", str(port)],
            env=environment,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert release.poll() is None, (workdir / "new.log").read_text()
        try:
            if httpx.get(f"{url}/api/v1/health/live", timeout=1).status_code == 200:
                return release, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    release.kill()
    raise AssertionError("the new release never answered liveness")


def test_the_runbook_keeps_the_old_release_serving_and_rolls_the_new_one_back(
    cluster: Cluster, seeded_database: str, tmp_path: Path
) -> None:
    runbook = steps(RUNBOOK.read_text(encoding="utf-8"))
    assert sorted(runbook) == [1, 2, 3, 4, 5, 6, 7]
    assert runbook[2] == runbook[6] == ""  # starting and rolling back are the platform's
    with serve(cluster, seeded_database, "deploy", tmp_path) as old:
        new_environment = {**old.environment, "DATABASE_URL": cluster.url("shop_release_2")}
        environment = {
            **old.environment,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
            "SHOP_URL": old.url,
            "NEW_LOG": str(tmp_path / "new.log"),
        }

        before = run(runbook[1], environment)
        assert "ready: 200" in before.stdout, before

        release, environment["NEW_URL"] = started_release(new_environment, tmp_path)  # step 2
        try:
            gated = run(runbook[3], environment)
            assert gated.stdout.strip() == "new release: NOT ready", gated

            serving = run(runbook[4], environment)
            assert "ready: 200" in serving.stdout, serving
            assert '"checks":{"database":"ok"}' in serving.stdout

            why = run(runbook[5], environment)
            assert '"checks":{"database":"failed"}' in why.stdout, why
            assert '"check": "database"' in why.stdout
            assert "InvalidCatalogNameError" in why.stdout
            assert 'database \\"shop_release_2\\" does not exist' in why.stdout
        finally:
            release.terminate()  # step 6: the rollback
            release.wait(timeout=10)

        rolled_back = run(runbook[7], environment)
        assert "ready: 200" in rolled_back.stdout, rolled_back
        assert "new release: 000" in rolled_back.stdout
