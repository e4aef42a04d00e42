"""Pytest plugin: the facts the proof needs that coverage alone does not record.

Loaded for every run of the handbook's suite (``-p handbook.pytest_plugin`` in the root
``pyproject.toml``). It does two things:

* While pytest collects (imports) a test module or conftest, it switches coverage's
  context to ``<module>|import``, so the lines that run at import time (``def`` and
  ``class`` lines, module constants) are credited to the module that imported them rather
  than to nobody.
* With ``--handbook-locations=PATH`` it writes where each test is defined
  (``{nodeid: [path, line]}``), so a page can link a test's name to its source line.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from pathlib import Path, PurePosixPath

import coverage
import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--handbook-locations``."""
    parser.addoption(
        "--handbook-locations",
        metavar="PATH",
        help="write each collected test's file and line to this JSON file",
    )


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, object, object]:
    """Credit import-time execution to the collector (module or directory) doing it."""
    current = coverage.Coverage.current()
    if current is None:
        return (yield)
    current.switch_context(f"{_importer(collector)}|import")
    try:
        return (yield)
    finally:
        current.switch_context("")


def _importer(collector: pytest.Collector) -> str:
    """Name what a collector imports: a directory imports its ``conftest.py``."""
    if isinstance(collector, pytest.Directory) and (collector.path / "conftest.py").is_file():
        return PurePosixPath(collector.nodeid or ".", "conftest.py").as_posix()
    return collector.nodeid


def pytest_collection_finish(session: pytest.Session) -> None:
    """Write the test locations, when asked to."""
    target = session.config.getoption("--handbook-locations")
    if not target:
        return
    root = session.config.rootpath
    locations: dict[str, list[str | int]] = {}
    for item in session.items:
        path, line, _ = item.location
        absolute = (root / path).resolve()
        relative = absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else path
        locations[item.nodeid] = [relative, _first_line(item, line)]
    destination = Path(target)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(json.dumps(locations, indent=1, sort_keys=True), encoding="utf-8")


def _first_line(item: pytest.Item, line: int | None) -> int:
    """The 1-based line of a test: pytest counts from 0, but a Sybil example from 1."""
    example_line = getattr(getattr(item, "example", None), "line", None)
    return example_line if isinstance(example_line, int) else (line or 0) + 1
