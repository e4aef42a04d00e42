"""Outcomes of racing requests on one aggregate, per persistence and database.

``python -m measure.races`` runs the experiment's request races
(``tests/test_concurrent_edits.py``, whose assertions check one winner per version and
nothing lost) ``--rounds`` times per persistence, on SQLite and on the PostgreSQL server
in ``DATABASE_URL``, and adds up how the racing requests were answered.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from measure.provenance import EXPERIMENT, ROOT, write

SWITCHES = {
    "core": [],
    "orm": ["-p", "orm_persistence.pytest_switch"],
    "core_kernel": ["-p", "core_kernel.pytest_switch"],
}


def run(persistence: str, server_url: str) -> dict[str, dict[str, int]]:
    """Run the request races once; return each test's tally."""
    with tempfile.TemporaryDirectory() as temporary:
        tally = Path(temporary) / "tally.json"
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "snippets"), str(EXPERIMENT)]),
            "DATABASE_URL": server_url,
            "RACE_TALLY": str(tally),
        }
        command = [sys.executable, "-m", "pytest", "tests/test_concurrent_edits.py", "-q"]
        command += ["-k", "requests or adds", "-p", "measure.race_tally", *SWITCHES[persistence]]
        finished = subprocess.run(  # noqa: S603 - pytest on our own tests
            command, cwd=EXPERIMENT, env=environment, capture_output=True, text=True, check=False
        )
        if finished.returncode != 0:
            raise SystemExit(f"races: {persistence} failed:\n{finished.stdout[-3000:]}")
        tallies: dict[str, dict[str, int]] = json.loads(tally.read_text(encoding="utf-8"))
        return tallies


def main() -> None:
    """Race ``--rounds`` times per persistence; write ``results/races.json``."""
    parser = argparse.ArgumentParser(prog="python -m measure.races")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--persistences", nargs="+", default=["core", "orm", "core_kernel"])
    arguments = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgresql"):
        raise SystemExit("measure.races: set DATABASE_URL=postgresql+asyncpg://...")
    totals: dict[str, dict[str, Counter[str]]] = {}
    for round_number in range(arguments.rounds):
        order = (
            arguments.persistences[round_number % 2 :] + arguments.persistences[: round_number % 2]
        )
        for persistence in order:
            for test, tally in run(persistence, server_url).items():
                totals.setdefault(persistence, {}).setdefault(test, Counter()).update(tally)
            print(f"round {round_number} {persistence} done", flush=True)
    figures: dict[str, Any] = {
        persistence: {test: dict(sorted(c.items())) for test, c in tests.items()}
        for persistence, tests in totals.items()
    }
    print(json.dumps(figures, indent=1))
    print(write("races", {"settings": vars(arguments), "tallies": figures}))


if __name__ == "__main__":
    main()
