"""The runbook "the database is down", walked against a database this test stops.

The runbook (``runbooks/database-down.md``, shipped with the shop) is read here and each
step's commands run as written, in ``bash``, with the variables it asks for set to the
shop this test serves on a PostgreSQL server of its own. Between the steps the test does
what the runbook leaves to the platform: it stops the server, and starts it again.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import make_url

# The fault tests' helpers, in the folder above: one server and one shop for both.
from ..fault_servers import Cluster, serve  # noqa: TID252 - shared with the fault tests

RUNBOOK = Path(__file__).parents[3] / "runbooks" / "database-down.md"
STEP = re.compile(r"^## (?P<number>\d+)\. ", flags=re.MULTILINE)
BASH = re.compile(r"^```bash\n(?P<commands>.*?)^```", flags=re.MULTILINE | re.DOTALL)


def steps(runbook: str) -> dict[int, str]:
    """Each numbered step's commands, its ``bash`` blocks joined; the preamble left out."""
    found: dict[int, str] = {}
    parts = STEP.split(runbook)  # [preamble, number, text, number, text, ...]
    for number, text in zip(parts[1::2], parts[2::2], strict=True):
        found[int(number)] = "".join(block["commands"] for block in BASH.finditer(text))
    return found


def run(commands: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one step's commands as an operator's shell would, each line in turn."""
    return subprocess.run(  # noqa: S603 - the runbook's own commands, under test
        ["bash", "-c", commands],  # noqa: S607 - bash from the PATH, as the operator's
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_runbook_finds_the_outage_and_sees_the_recovery(
    cluster: Cluster, seeded_database: str, tmp_path: Path
) -> None:
    runbook = steps(RUNBOOK.read_text(encoding="utf-8"))
    assert sorted(runbook) == [1, 2, 3, 4, 5]
    assert runbook[4] == ""  # bringing the database back is the platform's, here the test's
    with serve(cluster, seeded_database, "runbook", tmp_path) as shop:
        database = make_url(shop.environment["DATABASE_URL"])
        environment = {
            **shop.environment,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
            "SHOP_URL": shop.url,
            "SHOP_LOG": str(tmp_path / "server.log"),
            "DB_HOST": str(database.host),
            "DB_PORT": str(database.port),
        }
        cluster.stop("fast")  # the outage
        try:
            confirmed = run(runbook[1], environment)
            assert "live: 200" in confirmed.stdout, confirmed
            assert "ready: 503" in confirmed.stdout, confirmed
            assert '"checks":{"database":"failed"}' in confirmed.stdout

            logged = run(runbook[2], environment)
            assert '"check": "database"' in logged.stdout, logged
            assert '"level": "warning"' in logged.stdout

            asked = run(runbook[3], environment)
            assert "no response" in asked.stdout, asked
            assert '"from": "env:DATABASE_URL"' in asked.stdout
        finally:
            cluster.start()  # step 4: the database comes back

        recovered = run(runbook[5], environment)
        assert recovered.returncode == 0, recovered
        assert "accepting connections" in recovered.stdout
        assert '{"status":"ok","checks":{"database":"ok"}}' in recovered.stdout
        assert re.search(r"The schema is at revision \w+ already", recovered.stdout)


def test_a_step_without_commands_and_the_preamble_are_told_apart() -> None:
    runbook = "intro\n```bash\nA=1\n```\n## 1. One\n```bash\necho one\n```\n## 2. Two\ntext\n"

    assert steps(runbook) == {1: "echo one\n", 2: ""}
