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
import sys
from pathlib import Path

from ..fault_servers import Cluster, serve  # noqa: TID252 - shared with the fault tests
from .shop_server import serving
from .test_database_down import run, steps

RUNBOOK = Path(__file__).parents[3] / "runbooks" / "deploy-and-roll-back.md"


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

        # Step 2: the new release, on a port of its own, answering liveness.
        with serving(new_environment, tmp_path, log="new.log", health="live") as new_url:
            environment["NEW_URL"] = new_url
            gated = run(runbook[3], environment)
            assert gated.stdout.strip() == "new release: NOT ready", gated

            still_serving = run(runbook[4], environment)
            assert "ready: 200" in still_serving.stdout, still_serving
            assert '"checks":{"database":"ok"}' in still_serving.stdout

            why = run(runbook[5], environment)
            assert '"checks":{"database":"failed"}' in why.stdout, why
            assert '"check": "database"' in why.stdout
            assert "InvalidCatalogNameError" in why.stdout
            assert 'database \\"shop_release_2\\" does not exist' in why.stdout
        # Step 6, the rollback: the new release is stopped as the block ends.

        rolled_back = run(runbook[7], environment)
        assert "ready: 200" in rolled_back.stdout, rolled_back
        assert "new release: 000" in rolled_back.stdout
