"""Pytest plugin: how far a run is, for ``nox -s serve`` to say while the suite runs.

Loaded by the background run of :mod:`handbook.prover` (``-p handbook.pytest_progress``)
with ``--handbook-progress=PATH``. It writes ``{"total", "done", "failed"}`` to ``PATH``
once the tests are collected and after each test: how many there are, how many have
finished, and the node ids of those that failed (in setup, call or teardown) or of the
files that could not be collected. The file is replaced in one step, so a reader never
sees half of it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--handbook-progress``."""
    parser.addoption(
        "--handbook-progress",
        metavar="PATH",
        help="keep the number of tests, how many have run and which failed in this JSON file",
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Report to the file, when one is given."""
    target = config.getoption("--handbook-progress")
    if target:
        config.pluginmanager.register(Progress(Path(target)), "handbook-progress")


class Progress:
    """The count of one run, written to a file as it changes."""

    def __init__(self, path: Path) -> None:
        """Start counting into ``path``."""
        self.path = path
        self.total = 0
        self.done = 0
        self.failed: list[str] = []

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Name a file that could not be collected: none of its tests will run."""
        if report.failed:
            self.failed.append(report.nodeid)
            self.write()

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Record how many tests there are."""
        self.total = len(session.items)
        self.write()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Remember a failed test, once even if its teardown failed too."""
        if report.failed and report.nodeid not in self.failed:
            self.failed.append(report.nodeid)

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        """Count a finished test."""
        del nodeid
        self.done += 1
        self.write()

    def write(self) -> None:
        """Replace the file with the current count."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.partial")
        document = {"total": self.total, "done": self.done, "failed": self.failed}
        partial.write_text(json.dumps(document), encoding="utf-8")
        os.replace(partial, self.path)
