"""Instructions the application executes per use case, each persistence, under valgrind.

Throughput and CPU time on a shared machine move with what else runs; the number of
instructions a process executes does not. ``python -m measure.instructions`` runs, per
persistence and use case, two processes under ``valgrind --tool=cachegrind`` on
PostgreSQL: both prepare ``--calls`` targets (products, orders) and one of them also
runs the use case on each. The difference in instructions, divided by the calls, is
what one call costs the application (the database's work is another process's). Each
figure is the median of ``--repeats`` such pairs; all of them are kept.
"""

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from measure.provenance import write
from measure.statements import PERSISTENCES, UseCases, fresh_database, services_for

USE_CASES = ("add product", "reprice", "place order, 1 line", "pay")


async def child(persistence: str, name: str, calls: int, *, run: bool) -> None:
    """Prepare ``calls`` targets of use case ``name``; run it on each if ``run``."""
    server_url = os.environ["DATABASE_URL"]
    async with fresh_database(server_url) as (settings, engine):
        use_cases = UseCases(services_for(persistence, settings, engine))
        await (await use_cases.prepare(name))()  # warm: caches, pool, first-use imports
        for _ in range(calls):
            call = await use_cases.prepare(name)
            if run:
                await call()


def count(persistence: str, name: str, calls: int, *, run: bool) -> int:
    """Run one child under cachegrind; return the instructions it executed."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no"]
    command += ["--cachegrind-out-file=/dev/null", sys.executable, "-m", "measure.instructions"]
    command += ["--child", persistence, name, str(calls), "run" if run else "prepare"]
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    finished = subprocess.run(  # noqa: S603 - valgrind on our own script
        command, env=environment, capture_output=True, text=True, check=True
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", finished.stderr)
    if found is None:
        raise SystemExit(f"instructions: no count from valgrind:\n{finished.stderr[-2000:]}")
    return int(found[1].replace(",", ""))


def main() -> None:
    """Count per persistence and use case; write ``results/instructions.json``."""
    parser = argparse.ArgumentParser(prog="python -m measure.instructions")
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=1, help="pairs of processes per figure")
    parser.add_argument("--jobs", type=int, default=2, help="processes under valgrind at once")
    parser.add_argument("--child", nargs=4, metavar=("PERSISTENCE", "USE_CASE", "CALLS", "MODE"))
    arguments = parser.parse_args()
    if arguments.child:
        persistence, name, calls, mode = arguments.child
        asyncio.run(child(persistence, name, int(calls), run=mode == "run"))
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        raise SystemExit("measure.instructions: set DATABASE_URL=postgresql+asyncpg://...")
    tasks = [
        (name, persistence, run)
        for name in USE_CASES
        for persistence in PERSISTENCES
        for _ in range(arguments.repeats)
        for run in (True, False)
    ]
    # Counts do not depend on the load, so the processes may run side by side.
    with ThreadPoolExecutor(arguments.jobs) as pool:
        counted = list(
            pool.map(lambda task: count(task[1], task[0], arguments.calls, run=task[2]), tasks)
        )
    figures: dict[str, Any] = {}
    samples: dict[str, Any] = {}
    for (name, persistence, run), instructions in zip(tasks, counted, strict=True):
        found = samples.setdefault(name, {}).setdefault(persistence, [])
        if run:
            found.append(instructions)
        else:
            found[-1] = (found[-1] - instructions) / arguments.calls
    for name, by_persistence in samples.items():
        for persistence, found in by_persistence.items():
            figures.setdefault(name, {})[persistence] = statistics.median(found)
            shown = ", ".join(f"{n / 1e6:.2f}" for n in found)
            print(f"{name:24} {persistence:11} {shown} M instructions per call")
    print(json.dumps(figures))
    settings = {
        "calls": arguments.calls,
        "jobs": arguments.jobs,
        "repeats": arguments.repeats,
        "valgrind": valgrind_version(),
    }
    document = {"settings": settings, "per_call": figures, "samples": samples}
    print(write("instructions", document))


def valgrind_version() -> str:
    """The version of valgrind that counted."""
    result = subprocess.run(["valgrind", "--version"], capture_output=True, text=True, check=True)  # noqa: S607
    return result.stdout.strip()


if __name__ == "__main__":
    main()
