"""The pytest options of a run whose coverage becomes the proof.

``nox -s tests`` and the background run of ``nox -s serve`` (:mod:`handbook.prover`) both
run the suite with them. The noxfile imports this module before the session's environment
exists, so it uses the standard library alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

SERVICE_URLS = ("DATABASE_URL", "REDIS_URL", "AMQP_URL")
"""The backing services a proving run does not see.

The proof runs the suite on the embedded defaults (SQLite, in-process bus and cache), which
cover every line on their own: a machine with nothing installed proves the whole handbook.
The configured servers are exercised where the artefact users get is tested, by
``nox -s examples`` against the installed export (ADR 19), so a second run of every
database test here would only repeat it.
"""


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


def proof_environment(base: Mapping[str, str], coverage_file: Path) -> dict[str, str]:
    """The environment of a proving run: ``base`` without the services' URLs, coverage on.

    Args:
        base: The environment to start from, usually ``os.environ``.
        coverage_file: Where coverage writes its data (``COVERAGE_FILE``).
    """
    kept = {name: value for name, value in base.items() if name not in SERVICE_URLS}
    return {**kept, "COVERAGE_FILE": str(coverage_file)}
