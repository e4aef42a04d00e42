"""The proof under each listing: which tests executed which lines.

The test suite runs under coverage.py with one *context* per test (pytest-cov's
``--cov-context=test``) plus, from :mod:`handbook.pytest_plugin`, one context per
importer (a test module, a ``conftest.py``) for the lines that ran while it imported
them. :func:`build_proof` turns that data into ``proof.json``, small enough for every page
build to read; :class:`Proof` answers, for the lines a listing shows, which tests ran
them, which ran under none, and, for lines that only declare (they ran at import time
only), which tests used what they declare (:mod:`handbook.uses`).

A proof is tied to the exact content of each file: the SHA-256 of every measured file is
stored, and a listing whose file has changed since is *stale*, never silently proven.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import coverage

from handbook.problems import Problem
from handbook.regions import MARKER_TOKEN
from handbook.uses import Uses

if TYPE_CHECKING:
    from handbook.directives import Directive
    from handbook.render import Listing
    from handbook.run_state import RunState

PROOF_VERSION = 2
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
        executable: The statements the shown lines belong to, by first line (a statement
            a region starts inside counts too).
        unrun: The executable lines that ran under no context at all.
        tests: Tests and doctests that executed at least one shown line.
        importers: Test modules and conftests whose import executed a shown line.
        declared: When no test executed a shown line (they ran at import only): the
            names the shown lines declare.
        users: The tests that exercised those declarations: ran their code, or ran
            code that names them (see :mod:`handbook.uses`).
    """

    executable: tuple[int, ...]
    unrun: tuple[int, ...]
    tests: tuple[TestRef, ...]
    importers: tuple[TestRef, ...]
    declared: tuple[str, ...] = ()
    users: tuple[TestRef, ...] = ()


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
    root: Path,
    data_file: Path,
    locations_file: Path,
    sources: list[str],
    *,
    packages: str = "snippets",
) -> dict[str, Any]:
    """Read coverage data and test locations into the proof document.

    Args:
        root: The repository root; coverage data holds paths relative to it.
        data_file: The coverage data file written with per-test contexts.
        locations_file: JSON mapping each test node id to ``[path, line]``, and each
            start-up label to the ``[path, 1]`` of the module whose import it ran, written
            by :mod:`handbook.pytest_plugin`.
        sources: Directories (relative to ``root``) whose Python files must be measured;
            a file that no test imported is recorded with every statement unrun.
        packages: The folder the measured packages are imported from, so that a name
            imported from ``shop.settings`` is known to be ``snippets/shop/settings.py``'s.

    Returns:
        A JSON-ready document: ``{"version", "tests", "sets", "files"}``. ``sets`` holds
        sets of indexes into ``tests`` (-1: ran under no one's name). Each file has its
        ``sha256``, its ``statements``, per line the set of tests that ran it (``lines``),
        the multi-line statements a region marker cuts (``spans``), and its top-level
        names as ``[name, first, last]``, with the set of their users appended when no
        test ran their lines (``declarations``).
    """
    cov = coverage.Coverage(data_file=str(data_file), config_file=str(root / "pyproject.toml"))
    cov.load()
    data = cov.get_data()
    locations: dict[str, list[Any]] = json.loads(locations_file.read_text(encoding="utf-8"))
    tests: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}

    def ref_index(context: str) -> int | None:
        nodeid, phase = _split_context(context)
        if phase == "import" and nodeid.startswith("<"):
            # A stretch of pytest's start-up: the plugin recorded the module that imported.
            nodeid = locations.get(nodeid, [""])[0]
        if not nodeid:
            return None  # ran, but under no one's name (pytest's own start-up)
        key = f"{nodeid}|import" if phase == "import" else nodeid
        if key not in index_of:
            index_of[key] = len(tests)
            tests.append(_describe(nodeid, phase, locations))
        return index_of[key]

    measured = {(root / name).resolve(): name for name in data.measured_files()}
    texts: dict[str, str] = {}
    runs: dict[str, dict[int, list[int]]] = {}
    files: dict[str, Any] = {}
    for source in sources:
        for path in sorted((root / source).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            _, statements, _, _, _ = cov.analysis2(str(path))
            by_line: dict[int, list[int]] = {}
            recorded = measured.get(path.resolve())
            if recorded is not None:
                for line, contexts in sorted(data.contexts_by_lineno(recorded).items()):
                    refs = {ref_index(context) for context in contexts}
                    # -1 marks "ran, under no test's name" (start-up); it still counts as run.
                    by_line[line] = sorted(-1 if ref is None else ref for ref in refs)
            texts[relative] = path.read_text(encoding="utf-8")
            runs[relative] = by_line
            files[relative] = {
                "sha256": file_digest(path),
                "statements": sorted(statements),
                "lines": {str(line): refs for line, refs in by_line.items()},
            }

    def ran(path: str, first: int, last: int) -> set[int]:
        by_line = runs[path]
        return {
            ref
            for line in range(first, last + 1)
            for ref in by_line.get(line, ())
            if ref >= 0 and tests[ref]["kind"] != "import"
        }

    uses = Uses(texts, packages, ran)
    for relative, entry in files.items():
        spans = _cut_statements(texts[relative], uses.tree(relative))
        if spans:
            entry["spans"] = spans
        declarations: list[list[Any]] = []
        for declaration in uses.declarations(relative):
            row: list[Any] = [declaration.name, declaration.first, declaration.last]
            if not ran(relative, declaration.first, declaration.last):
                row.append(sorted(uses.users(relative, declaration.name)))
            declarations.append(row)
        if declarations:
            entry["declarations"] = declarations
    # Number the tests in a stable order, so that two runs of the same suite give the
    # same document. Each set of tests is written once, and named by its index: most
    # lines share their set with their neighbours, and the document is read by every
    # build, so this keeps it small and quick to parse.
    order = sorted(range(len(tests)), key=lambda i: (tests[i]["kind"], tests[i]["id"]))
    renumber = {old: new for new, old in enumerate(order)}
    sets: dict[tuple[int, ...], int] = {}

    def intern(refs: Iterable[int]) -> int:
        return sets.setdefault(tuple(sorted(renumber.get(ref, ref) for ref in refs)), len(sets))

    for entry in files.values():
        entry["lines"] = {line: intern(refs) for line, refs in entry["lines"].items()}
        for row in entry.get("declarations", []):
            row[3:] = [intern(users) for users in row[3:]]
    return {
        "version": PROOF_VERSION,
        "tests": [tests[i] for i in order],
        "sets": [list(refs) for refs in sets],
        "files": files,
    }


def _cut_statements(text: str, tree: ast.Module) -> list[list[int]]:
    """The ``[first, last]`` lines of each statement that a region marker line cuts.

    Coverage counts a statement that spans lines at its first line only. A region that
    starts inside one (the columns of a table, say) shows lines of a statement whose
    first line it does not show; this is how the proof finds that statement.
    """
    markers = [n for n, line in enumerate(text.splitlines(), start=1) if MARKER_TOKEN in line]
    if not markers:
        return []
    cut: list[list[int]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or _is_compound(node):
            continue
        last = node.end_lineno or node.lineno
        if any(node.lineno < marker < last for marker in markers):
            cut.append([node.lineno, last])
    return sorted(cut)


def _is_compound(statement: ast.stmt) -> bool:
    """Tell whether a statement holds other statements (its body lines count apart)."""
    return any(
        isinstance(value, list) and value and isinstance(value[0], ast.stmt | ast.excepthandler)
        for _, value in ast.iter_fields(statement)
    )


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
        self._sets: list[list[int]] = document["sets"]
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
        cut = {
            first
            for first, last in entry.get("spans", [])
            if any(first < line <= last for line in shown)
        }
        executable = tuple(sorted({line for line in shown if line in statements} | cut))
        unrun = tuple(line for line in executable if str(line) not in entry["lines"])
        refs = {self._tests[index] for index in self._ran(entry, executable) if index >= 0}
        tests = tuple(sorted(ref for ref in refs if ref.kind != "import"))
        importers = tuple(sorted(ref for ref in refs if ref.kind == "import"))
        if tests or not executable:
            return LineProof(executable, unrun, tests, importers)
        declared, users = self._declarations(entry, executable)
        return LineProof(executable, unrun, tests, importers, declared, users)

    def _declarations(
        self, entry: dict[str, Any], executable: tuple[int, ...]
    ) -> tuple[tuple[str, ...], tuple[TestRef, ...]]:
        """The names that lines run only at import declare, and the tests that used them.

        A declaration whose own lines some test ran (a class whose methods ran) is used
        by those tests; one that only ever ran at import, by the users recorded for it.
        """
        names: list[str] = []
        users: set[TestRef] = set()
        for name, first, last, *recorded in entry.get("declarations", []):
            if not any(first <= line <= last for line in executable):
                continue
            names.append(name)
            indexes: Iterable[int] = (
                self._sets[recorded[0]] if recorded else self._ran(entry, range(first, last + 1))
            )
            refs = (self._tests[index] for index in indexes if index >= 0)
            users.update(ref for ref in refs if ref.kind != "import")
        return tuple(names), tuple(sorted(users))

    def _ran(self, entry: dict[str, Any], lines: Iterable[int]) -> set[int]:
        """The indexes of everyone who ran any of ``lines`` (-1: no one by name)."""
        ran: dict[str, int] = entry["lines"]
        return {index for line in lines if str(line) in ran for index in self._sets[ran[str(line)]]}


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
    return _names_someone(directive, listing, line_proof)


def _names_someone(directive: Directive, listing: Listing, proof: LineProof) -> Verdict:
    """Every line ran; the proof must still name a test that executed or used them."""
    if proof.tests or proof.users:
        return Verdict(proof, [], None)
    reason = _nothing_named(proof)
    message = f"the listing's proof names nothing ({listing.source}#{listing.region}): {reason}"
    return Verdict(proof, [directive.problem(message)], f"Not proven: {reason}.")


def _nothing_named(proof: LineProof) -> str:
    """Why a listing's proof names no test, as the build says it."""
    if not proof.executable:
        return "it shows no statement that runs"
    if proof.declared:
        names = ", ".join(proof.declared)
        return f"its lines run only at import, and no test ran code that uses {names}"
    return "no test executed its lines, and they declare nothing a test could use"
