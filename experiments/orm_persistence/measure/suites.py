"""How long the shop's own suites take on each persistence.

``python -m measure.suites`` runs the shop's unit suite (fakes; under the ORM switch the
domain classes are mapped all the same) and its integration suite, on SQLite alone and
with the PostgreSQL server in ``DATABASE_URL`` too, once per persistence per round, the
order rotating. It records the wall time and the CPU time of the pytest process.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

from measure.provenance import EXPERIMENT, ROOT, write

SUITES = {
    "unit": ("examples/shop/tests/unit", False),
    "integration, SQLite": ("examples/shop/tests/integration", False),
    "integration, SQLite and PostgreSQL": ("examples/shop/tests/integration", True),
}
SWITCHES = {
    "core": [],
    "orm": ["-p", "orm_persistence.pytest_switch"],
    "core_kernel": ["-p", "core_kernel.pytest_switch"],
}


def run(suite: str, persistence: str, server_url: str) -> dict[str, Any]:
    """Run one suite once; return its wall and CPU seconds and pytest's last line."""
    path, with_server = SUITES[suite]
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "snippets"), str(EXPERIMENT)]),
    }
    environment.pop("DATABASE_URL", None)
    if with_server:
        environment["DATABASE_URL"] = server_url
    command = [sys.executable, "-m", "pytest", path, "-q", "-p", "no:cacheprovider"]
    command += SWITCHES[persistence]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run(  # noqa: S603 - pytest on our own suites
        command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = finished.stdout.strip().splitlines()[-1]
    if finished.returncode != 0:
        raise SystemExit(f"suites: {suite} on {persistence} failed: {summary}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "pytest": summary}


def main() -> None:
    """Alternate the persistences for ``--rounds`` rounds; write ``results/suites.json``."""
    parser = argparse.ArgumentParser(prog="python -m measure.suites")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--persistences", nargs="+", default=list(SWITCHES))
    arguments = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgresql"):
        raise SystemExit("measure.suites: set DATABASE_URL=postgresql+asyncpg://...")
    runs: list[dict[str, Any]] = []
    for round_number in range(arguments.rounds):
        shift = round_number % len(arguments.persistences)
        order = arguments.persistences[shift:] + arguments.persistences[:shift]
        for suite in SUITES:
            for persistence in order:
                figures = run(suite, persistence, server_url)
                runs.append({"round": round_number, "suite": suite, "persistence": persistence})
                runs[-1].update(figures)
                print(f"round {round_number} {suite:36} {persistence:4} {figures}", flush=True)
    medians = {
        suite: {
            persistence: {
                figure: statistics.median(
                    r[figure]
                    for r in runs
                    if (r["suite"], r["persistence"]) == (suite, persistence)
                )
                for figure in ("wall_s", "cpu_s")
            }
            for persistence in arguments.persistences
        }
        for suite in SUITES
    }
    print(write("suites", {"settings": vars(arguments), "medians": medians, "runs": runs}))


if __name__ == "__main__":
    main()
