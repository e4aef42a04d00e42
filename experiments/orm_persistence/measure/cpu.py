"""CPU time per use case in the application process, each persistence, on PostgreSQL.

``python -m measure.cpu`` runs, in turn, a fresh process per persistence (the ORM maps
the domain classes for the whole process, so no two share one), rotating the order for
``--rounds`` rounds. Each process runs every use case of :mod:`measure.statements`
``--repeat`` times through its handler, against a database of its own, and times each
call with ``time.process_time()``: the CPU the application spends on the call, without
the database's. The setup a call needs (the product to reprice, the order to pay) is
made before it and not timed; the first tenth of the calls warm up and are dropped.
HTTP, Pydantic and the tenant lookup are not in it.

On a machine that other work shares, CPU time per call grows with the contention
(caches, frequency), so each process reports its lower quartile and its median per
call; the figures are the medians of those over the rounds.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from measure.provenance import write
from measure.statements import PERSISTENCES, USE_CASES, UseCases, fresh_database, services_for


async def time_use_cases(
    persistence: str, server_url: str, repeat: int
) -> dict[str, dict[str, float]]:
    """CPU microseconds per call of each use case in this process: quartile and median."""
    async with fresh_database(server_url) as (settings, engine):
        use_cases = UseCases(services_for(persistence, settings, engine))
        figures: dict[str, dict[str, float]] = {}
        for name in USE_CASES:
            spent = []
            for _ in range(repeat):
                call = await use_cases.prepare(name)
                started = time.process_time()
                await call()
                spent.append(time.process_time() - started)
            quartiles = statistics.quantiles(spent[repeat // 10 :], n=4)
            figures[name] = {"p25": quartiles[0] * 1e6, "median": quartiles[1] * 1e6}
        return figures


def main() -> None:
    """Alternate one process per persistence; write ``results/cpu.json``."""
    parser = argparse.ArgumentParser(prog="python -m measure.cpu")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--persistence", choices=PERSISTENCES, help="one process's part")
    arguments = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgresql"):
        raise SystemExit("measure.cpu: set DATABASE_URL=postgresql+asyncpg://...")
    if arguments.persistence:
        figures = asyncio.run(time_use_cases(arguments.persistence, server_url, arguments.repeat))
        print(json.dumps(figures))
        return
    runs: list[dict[str, Any]] = []
    for round_number in range(arguments.rounds):
        shift = round_number % len(PERSISTENCES)
        for persistence in PERSISTENCES[shift:] + PERSISTENCES[:shift]:
            command = [sys.executable, "-m", "measure.cpu", "--persistence", persistence]
            command += ["--repeat", str(arguments.repeat)]
            output = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
            figures = json.loads(output.stdout.strip().splitlines()[-1])
            runs.append({"round": round_number, "persistence": persistence, "us_per_call": figures})
            print(f"round {round_number} {persistence} done", flush=True)
    medians = {
        name: {
            persistence: {
                figure: statistics.median(
                    r["us_per_call"][name][figure] for r in runs if r["persistence"] == persistence
                )
                for figure in ("p25", "median")
            }
            for persistence in PERSISTENCES
        }
        for name in USE_CASES
    }
    for name, by_persistence in medians.items():
        core, orm = by_persistence["core"]["p25"], by_persistence["orm"]["p25"]
        print(f"{name:48} p25 core {core:6.0f} µs  orm {orm:6.0f} µs  orm/core {orm / core:.2f}")
    settings = {"rounds": arguments.rounds, "repeat": arguments.repeat}
    print(write("cpu", {"settings": settings, "medians_us": medians, "runs": runs}))


if __name__ == "__main__":
    main()
