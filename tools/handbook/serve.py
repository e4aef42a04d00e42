"""``python -m handbook.serve``: the live handbook, its proof kept current.

Starts ``mkdocs serve --dirty`` and, beside it, watches what the proof depends on (see
:mod:`handbook.fingerprint`). After an edit the page rebuilds at once, its listings marked
stale; the test suite then runs again in the background and writes a new proof, which
MkDocs also watches, so the page rebuilds a second time with the new proof under it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from handbook.fingerprint import fingerprint
from handbook.paths import repository_root

POLL_SECONDS = 1.0


def recorded_fingerprint(proof: Path) -> str | None:
    """The fingerprint the proof on disk was made from, if there is one."""
    if not proof.is_file():
        return None
    value = json.loads(proof.read_text(encoding="utf-8")).get("fingerprint")
    return value if isinstance(value, str) else None


def coverage_arguments(state: Path) -> list[str]:
    """The pytest options of a proving run: per-test coverage contexts, test locations.

    ``nox -s tests`` and the background run of ``nox -s serve`` both use them, with
    ``COVERAGE_FILE`` set to ``state/.coverage``; ``python -m handbook proof`` then turns
    the data into the proof.
    """
    return [
        "--cov",
        "--cov-context=test",
        "--cov-report=",
        f"--handbook-locations={state / 'tests.json'}",
    ]


def reprove(root: Path) -> bool:
    """Run the suite with per-test coverage and, if it passed, rewrite the proof.

    A failed run writes no proof: the pages keep saying which listings are pending, and
    ``nox -s docs`` does not mistake the old proof for a proof of the current code.
    """
    state = root / ".handbook"
    environment = {**os.environ, "COVERAGE_FILE": str(state / ".coverage")}
    tests = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "pytest", "-q", *coverage_arguments(state)],
        cwd=root,
        env=environment,
        check=False,
    )
    if tests.returncode != 0:
        return False
    proof = subprocess.run(
        [sys.executable, "-m", "handbook", "proof"], cwd=root, env=environment, check=False
    )
    return proof.returncode == 0


def mkdocs_serve(python: str, address: str) -> list[str]:
    """The ``mkdocs serve`` command that ``nox -s serve`` runs, and ``nox -s timings`` times.

    ``--dirty``: a rebuild renders only the pages whose inputs changed, which the
    handbook's plugin works out (see :mod:`handbook.rebuild`), not every page of the site.
    """
    return [
        python,
        "-m",
        "mkdocs",
        "serve",
        "--dev-addr",
        address,
        "--livereload",
        "--dirty",
        "--no-strict",
    ]


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m handbook.serve")
    parser.add_argument("--address", default="127.0.0.1:8000")
    arguments = parser.parse_args(argv)
    root = repository_root()
    proof = root / ".handbook" / "proof.json"
    server = subprocess.Popen(mkdocs_serve(sys.executable, arguments.address), cwd=root)  # noqa: S603
    last_seen = recorded_fingerprint(proof)
    try:
        while server.poll() is None:
            time.sleep(POLL_SECONDS)
            current = fingerprint(root)
            if current != last_seen and current != recorded_fingerprint(proof):
                print("handbook: sources changed; proving again in the background", flush=True)
                passed = reprove(root)
                print(
                    f"handbook: proof {'updated' if passed else 'FAILED (see above)'}", flush=True
                )
            last_seen = current
    except KeyboardInterrupt:
        server.terminate()
    return server.wait()


if __name__ == "__main__":
    sys.exit(main())
