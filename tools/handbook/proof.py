"""The proof under each listing: which tests executed which lines.

The test suite runs under coverage.py with one *context* per test (pytest-cov's
``--cov-context=test``) plus, from :mod:`handbook.pytest_plugin`, one context per test
module for the lines that ran while it was imported. :func:`build_proof` turns that data
into ``proof.json``, small enough for every page build to read; :class:`Proof` answers,
for the lines a listing shows, which tests ran them and which ran under none.

A proof is tied to the exact content of each file: the SHA-256 of every measured file is
stored, and a listing whose file has changed since is *stale*, never silently proven.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import coverage

from handbook.problems import Problem

if TYPE_CHECKING:
    from handbook.directives import Directive
    from handbook.render import Listing
    from handbook.run_state import RunState

PROOF_VERSION = 1
Kind = Literal["test", "import", "doctest"]


@dataclass(frozen=True, order=True)
class TestRef:
    """Something that executed code during the test run.

    Attributes:
        kind: ``test`` (a test function), ``doctest`` (a session in a page) or ``import``
            (a test module, for the lines that ran when it imported the code).
        id: The pytest node id (``tests/test_x.py::test_y``) or the module path.
        path: The file that holds it, relative to the repository root.
        line: Its 1-based line in that file.
    """

    kind: Kind
    id: str
    path: str
    line: int

    @property
    def label(self) -> str:
        """A short name beside its file: the test's name, a session's line, a module's path."""
        if self.kind == "import":
            return self.path
        return self.id.split("::", 1)[-1] if self.kind == "test" else f"session at line {self.line}"


@dataclass(frozen=True)
class LineProof:
    """What the proof says of the lines a listing shows.

    Attributes:
        executable: The shown lines that hold executable statements.
        unrun: The executable lines that ran under no context at all.
        tests: Tests and doctests that executed at least one shown line.
        importers: Test modules whose import executed a shown line.
    """

    executable: tuple[int, ...]
    unrun: tuple[int, ...]
    tests: tuple[TestRef, ...]
    importers: tuple[TestRef, ...]


class StaleProofError(Exception):
    """The file changed after the tests that prove it last ran."""


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex (remembered while the file is unchanged)."""
    status = path.stat()
    return _digest_cached(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=4096)
def _digest_cached(path: Path, mtime_ns: int, size: int) -> str:  # noqa: ARG001 - cache key
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _split_context(context: str) -> tuple[str, str]:
    """Split ``nodeid|phase`` into node id and phase (``run``, ``setup``, ``import`` ...)."""
    nodeid, separator, phase = context.rpartition("|")
    return (nodeid, phase) if separator else (context, "")


def build_proof(
    root: Path, data_file: Path, locations_file: Path, sources: list[str]
) -> dict[str, Any]:
    """Read coverage data and test locations into the proof document.

    Args:
        root: The repository root; coverage data holds paths relative to it.
        data_file: The coverage data file written with per-test contexts.
        locations_file: JSON mapping each test node id to ``[path, line]``, written by
            :mod:`handbook.pytest_plugin`.
        sources: Directories (relative to ``root``) whose Python files must be measured;
            a file that no test imported is recorded with every statement unrun.

    Returns:
        A JSON-ready document: ``{"version", "tests", "files"}``.
    """
    cov = coverage.Coverage(data_file=str(data_file), config_file=str(root / "pyproject.toml"))
    cov.load()
    data = cov.get_data()
    locations: dict[str, list[Any]] = json.loads(locations_file.read_text(encoding="utf-8"))
    tests: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}

    def ref_index(context: str) -> int | None:
        nodeid, phase = _split_context(context)
        if not nodeid:
            return None  # start-up, before any test module: ran, but under no one's name
        key = f"{nodeid}|import" if phase == "import" else nodeid
        if key not in index_of:
            index_of[key] = len(tests)
            tests.append(_describe(nodeid, phase, locations))
        return index_of[key]

    measured = {(root / name).resolve(): name for name in data.measured_files()}
    files: dict[str, Any] = {}
    for source in sources:
        for path in sorted((root / source).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            _, statements, _, _, _ = cov.analysis2(str(path))
            by_line: dict[str, list[int]] = {}
            recorded = measured.get(path.resolve())
            if recorded is not None:
                for line, contexts in sorted(data.contexts_by_lineno(recorded).items()):
                    refs = {ref_index(context) for context in contexts}
                    # -1 marks "ran, under no test's name" (start-up); it still counts as run.
                    by_line[str(line)] = sorted(-1 if ref is None else ref for ref in refs)
            files[relative] = {
                "sha256": file_digest(path),
                "statements": sorted(statements),
                "lines": by_line,
            }
    # Number the tests in a stable order, so that two runs of the same suite give the
    # same document.
    order = sorted(range(len(tests)), key=lambda i: (tests[i]["kind"], tests[i]["id"]))
    renumber = {old: new for new, old in enumerate(order)}
    for entry in files.values():
        entry["lines"] = {
            line: sorted(renumber.get(ref, ref) for ref in refs)
            for line, refs in entry["lines"].items()
        }
    return {"version": PROOF_VERSION, "tests": [tests[i] for i in order], "files": files}


def _describe(nodeid: str, phase: str, locations: dict[str, list[Any]]) -> dict[str, Any]:
    module = nodeid.split("::", maxsplit=1)[0]
    if phase == "import":
        return {"kind": "import", "id": nodeid, "path": module, "line": 1}
    path, line = locations.get(nodeid, [module, 1])
    kind = "test" if path.endswith(".py") else "doctest"
    return {"kind": kind, "id": nodeid, "path": path, "line": line}


class Proof:
    """The proof document, loaded for queries during a build."""

    def __init__(self, root: Path, document: dict[str, Any]) -> None:
        """Wrap a proof document (see :func:`build_proof`) for the repository at ``root``."""
        self._root = root
        self._tests = [TestRef(**test) for test in document["tests"]]
        self._files: dict[str, Any] = document["files"]

    @classmethod
    def load(cls, root: Path, path: Path) -> Proof | None:
        """Load ``proof.json``, or return None when the tests have not produced one.

        Every page of a build asks; the parsed document is reused until the file changes.
        """
        if not path.is_file():
            return None
        status = path.stat()
        return _load_cached(root, path, status.st_mtime_ns, status.st_size)

    def measures(self, source: str) -> bool:
        """Tell whether ``source`` is one of the files the tests were measured on."""
        return source in self._files

    def lines(self, source: str, shown: tuple[int, ...]) -> LineProof:
        """Report on the given lines of a measured file.

        Raises:
            StaleProofError: The file's content differs from what the tests ran.
        """
        entry = self._files[source]
        if file_digest(self._root / source) != entry["sha256"]:
            raise StaleProofError(source)
        statements = set(entry["statements"])
        executable = tuple(line for line in shown if line in statements)
        runs: dict[str, list[int]] = entry["lines"]
        unrun = tuple(line for line in executable if not runs.get(str(line)))
        refs = {
            self._tests[index]
            for line in executable
            for index in runs.get(str(line), [])
            if index >= 0
        }
        return LineProof(
            executable=executable,
            unrun=unrun,
            tests=tuple(sorted(ref for ref in refs if ref.kind != "import")),
            importers=tuple(sorted(ref for ref in refs if ref.kind == "import")),
        )


@lru_cache(maxsize=4)
def _load_cached(root: Path, path: Path, mtime_ns: int, size: int) -> Proof | None:  # noqa: ARG001
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("version") != PROOF_VERSION:
        return None
    return Proof(root, document)


@dataclass(frozen=True)
class Verdict:
    """What the proof says of one listing on one page.

    Attributes:
        lines: The proof of the shown lines, to show under the listing; None when there
            is none to show.
        problems: What fails the build, each located where it is to be mended.
        pending: When the listing is not proven, the sentence a page shows instead of
            the proof.
        awaiting: The listing waits for a test run (there is no proof, or its file
            changed since), rather than failing a proof.
    """

    lines: LineProof | None
    problems: list[Problem]
    pending: str | None
    awaiting: bool = False


def judge(
    directive: Directive,
    listing: Listing,
    proof: Proof | None,
    proof_at: str,
    run: RunState | None = None,
) -> Verdict:
    """Judge a listing against the proof: invariant 2, for the build and for the checks.

    Args:
        directive: The listing's directive, where problems with the page are located.
        listing: The resolved listing.
        proof: The proof, or None when the tests have not written one.
        proof_at: Where the proof is expected, as the messages should name it.
        run: The test run that ``nox -s serve`` keeps going, if any: a listing that
            waits for its proof says what that run is doing.
    """
    if listing.language != "python":
        return Verdict(None, [], None)
    if proof is None:
        return Verdict(
            None,
            [directive.problem(f"no proof at {proof_at}: run the tests (nox -s docs)")],
            run.sentence() if run else "Not proven yet: the tests have not run.",
            awaiting=True,
        )
    if not proof.measures(listing.source):
        return Verdict(
            None,
            [
                directive.problem(
                    f"{listing.source} is outside the measured code ([tool.handbook] measured)"
                )
            ],
            "Not proven: no test run measures this file.",
        )
    try:
        line_proof = proof.lines(listing.source, listing.shown)
    except StaleProofError:
        return Verdict(
            None,
            [
                directive.problem(
                    f"the proof of {listing.source} is stale: the file changed after the "
                    "tests ran (nox -s docs runs them again)"
                )
            ],
            run.sentence() if run else "Proof pending: this file changed after the tests last ran.",
            awaiting=True,
        )
    if line_proof.unrun:
        problems = [
            Problem(
                listing.source,
                line,
                f"shown on {directive.page}:{directive.line} "
                f"({listing.source}#{listing.region}) but no test executed it",
            )
            for line in line_proof.unrun
        ]
        lines = ", ".join(str(line) for line in line_proof.unrun)
        return Verdict(line_proof, problems, f"Not proven: line(s) {lines} ran under no test.")
    return Verdict(line_proof, [], None)
