"""Pytest plugin: the facts the proof needs that coverage alone does not record.

Loaded for every run of the handbook's suite (``-p handbook.pytest_plugin`` in the root
``pyproject.toml``). It does two things:

* It names the importer of every line that runs when code is imported, so that ``def``
  and ``class`` lines and module constants are credited to someone rather than to nobody:

  - While pytest collects (imports) a test module or a folder's ``conftest.py``, it
    switches coverage's context to ``<module>|import``.
  - Before collection, while pytest loads the *initial* conftests (those of the test
    paths and their parents) and the plugins they name, coverage is already running
    (pytest-cov starts it first) but no collector is. Pytest announces each module only
    after importing it (``pytest_plugin_registered``), so each stretch between two
    announcements runs under a fresh label, ``<start-up:N>|import``, and the module
    announced at its end is recorded as the label's importer. A stretch that ends with
    something other than a module of the repository keeps an unnamed label.

* With ``--handbook-locations=PATH`` it writes where each test is defined
  (``{nodeid: [path, line]}``) and, under each start-up label, the file that imported
  (``{"<start-up:N>": [path, 1]}``), so a page can link a name to its source.
"""

from __future__ import annotations

import json
import types
from collections.abc import Generator
from pathlib import Path, PurePosixPath

import coverage
import pytest


class StartUpImports:
    """Labels the imports that run before collection, and names their importers."""

    def __init__(self, root: Path) -> None:
        """Record the imports of a run whose repository root is ``root``."""
        self.root = root.resolve()
        self.importers: dict[str, str] = {}
        self.listening = False
        self._label: str | None = None
        self._count = 0

    def start(self) -> None:
        """Run what comes next under a fresh label (when coverage runs)."""
        current = coverage.Coverage.current()
        if current is None:
            return
        self._label = f"<start-up:{self._count}>"
        self._count += 1
        current.switch_context(f"{self._label}|import")

    def pytest_plugin_registered(self, plugin: object) -> None:
        """Credit the stretch that just ended to ``plugin``, if it is a module of ours."""
        if not self.listening:
            return  # pytest replays earlier registrations to a new plugin: not ours to count
        path = self._path(plugin)
        if self._label is not None and path is not None:
            self.importers[self._label] = path
        self.start()

    def stop(self) -> None:
        """Leave the start-up: what runs next is nobody's until collection names it."""
        current = coverage.Coverage.current()
        if current is not None and self._label is not None:
            current.switch_context("")
        self._label = None

    def _path(self, plugin: object) -> str | None:
        file = getattr(plugin, "__file__", None) if isinstance(plugin, types.ModuleType) else None
        if not file:
            return None
        path = Path(file).resolve()
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else None


_START_UP = pytest.StashKey[StartUpImports]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--handbook-locations``."""
    parser.addoption(
        "--handbook-locations",
        metavar="PATH",
        help="write each collected test's file and line to this JSON file",
    )


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> Generator[None, None, None]:
    """Label the start-up: pytest-cov starts coverage here, then pytest imports conftests."""
    imports = StartUpImports(early_config.rootpath)
    early_config.stash[_START_UP] = imports
    early_config.pluginmanager.register(imports)
    imports.listening = True
    imports.start()  # when coverage already runs; else at the first plugin announced
    try:
        yield
    finally:
        imports.stop()
        early_config.pluginmanager.unregister(imports)


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
    """Write the test locations and the start-up importers, when asked to."""
    target = session.config.getoption("--handbook-locations")
    if not target:
        return
    root = session.config.rootpath
    locations: dict[str, list[str | int]] = {
        label: [path, 1]
        for label, path in session.config.stash.get(
            _START_UP, StartUpImports(root)
        ).importers.items()
    }
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
