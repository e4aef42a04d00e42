"""The pytest options of a run whose coverage becomes the proof.

``nox -s tests`` and the background run of ``nox -s serve`` (:mod:`handbook.prover`) both
run the suite with them. The noxfile imports this module before the session's environment
exists, so it uses the standard library alone.
"""

from __future__ import annotations

from pathlib import Path


def coverage_arguments(state: Path) -> list[str]:
    """Per-test coverage contexts, and where each test is, written into ``state``.

    Run with ``COVERAGE_FILE`` set to ``state/.coverage``; the proof is then built from the
    data and ``state/tests.json``.
    """
    return [
        "--cov",
        "--cov-context=test",
        "--cov-report=",
        f"--handbook-locations={state / 'tests.json'}",
    ]
