"""Invariant 7: a page names a technology or practice as present only once the code has it.

The list is kept in the repository (``claims.toml``, named by ``claims`` under
``[tool.handbook]``): each entry names something a reader takes as present when a page
mentions it, the words that mention it (regular expressions), and how its presence is
detected. An entry is **present** when one of its detectors finds it:

* ``imports``: a module that a Python file under ``snippets/`` imports (``redis`` also
  matches ``import redis.asyncio``);
* ``names``: a name that code under ``snippets/`` defines or uses (``CORSMiddleware``);
  comments and docstrings do not count;
* ``strings``: text inside a string literal of that code, docstrings excepted
  (``X-Request-ID``);
* ``files``: a shell-style pattern over repository paths, ``*`` crossing folders
  (``examples/*/Containerfile``).

While an entry is absent, every line that mentions it fails ``handbook check`` with the
page, the line and the entry's name, on every page the list covers and in the comments and
docstrings of ``snippets/`` (a listing shows them). Three places are not claims:

* the **roadmap** page, the one place that says what is planned;
* the section under a ``Considered options`` heading (a decision record's alternatives:
  the decision itself, in the sections after it, is checked);
* a **blockquote** (lines starting with ``>``): words quoted from the brief or another
  source are theirs, not the handbook's.
"""

from __future__ import annotations

import ast
import fnmatch
import io
import os
import re
import tokenize
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from handbook.problems import Problem, ProblemError

DETECTORS = ("imports", "names", "strings", "files")
"""The keys of an entry that say how its presence is detected."""
ENTRY_KEYS = frozenset({"name", "terms", *DETECTORS})
EXEMPT_SECTION = "considered options"
"""A heading whose section names alternatives that were weighed, not things that exist."""
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_BLOCKQUOTE = re.compile(r"^\s*>")
_SKIPPED_FOLDERS = frozenset(
    {".git", ".nox", ".venv", ".handbook", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
    | {"__pycache__", "node_modules", "site", "build", "dist"}
)


@dataclass(frozen=True)
class Claim:
    """One entry of the list: something a page may name only once the code has it.

    Attributes:
        name: How problems name it (``Redis``).
        line: The entry's line in the list, for problems about the entry itself.
        terms: What a mention looks like, compiled case-insensitively, whole words.
        imports: Modules whose import by a snippet shows it.
        names: Names whose definition or use in a snippet shows it.
        strings: Text whose presence in a snippet's string literal shows it.
        files: Path patterns of files whose existence shows it.
    """

    name: str
    line: int
    terms: tuple[re.Pattern[str], ...]
    imports: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    strings: tuple[str, ...] = ()
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimList:
    """The whole list and where it applies.

    Attributes:
        source: The list's file, relative to the root.
        roadmap: The page that says what is planned, relative to the root.
        pages: Path patterns of the pages the rule covers.
        claims: The entries.
    """

    source: str
    roadmap: str
    pages: tuple[str, ...]
    claims: tuple[Claim, ...]


@dataclass
class CodeFacts:
    """What the snippets contain, gathered once for every entry.

    Attributes:
        imports: Every module a snippet imports, with each of its parent packages.
        names: Every name a snippet defines, assigns, reads or imports.
        strings: Every string literal that is not a docstring.
        prose: Comments and docstrings as ``(file, line, text)``, one per line.
        files: Every file of the repository, as a relative POSIX path.
    """

    imports: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    strings: list[str] = field(default_factory=list)
    prose: list[tuple[str, int, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def load_claims(root: Path, source: str) -> ClaimList:
    """Read and validate the list at ``root / source``.

    Raises:
        ProblemError: The file is missing, is not TOML, or an entry is malformed; each
            problem names the entry's line.
    """
    path = root / source
    if not path.is_file():
        raise ProblemError([Problem(source, 0, "the list of claims is missing")])
    text = path.read_text(encoding="utf-8")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProblemError([Problem(source, 0, f"not valid TOML: {error}")]) from error
    problems: list[Problem] = []
    roadmap = document.get("roadmap")
    if not isinstance(roadmap, str):
        problems.append(Problem(source, 0, "'roadmap' must name the roadmap page"))
        roadmap = ""
    pages = document.get("pages")
    if not isinstance(pages, list) or not all(isinstance(page, str) for page in pages):
        problems.append(Problem(source, 0, "'pages' must list path patterns of pages"))
        pages = []
    lines = text.splitlines()
    claims: list[Claim] = []
    seen: list[str] = []
    entries = document.get("claim", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        problems.append(Problem(source, 0, "each entry must be a [[claim]] table"))
        entries = []
    for entry in entries:
        name = entry.get("name")
        claim, entry_problems = _claim(source, entry, _line_of(lines, name, seen.count(name)))
        seen.append(name)
        if claim is not None and seen.count(claim.name) > 1:
            entry_problems.append(Problem(source, claim.line, f"{claim.name!r} is listed twice"))
        problems += entry_problems
        if claim is not None and not entry_problems:
            claims.append(claim)
    if problems:
        raise ProblemError(problems)
    return ClaimList(source, roadmap, tuple(pages), tuple(claims))


def _claim(source: str, entry: dict[str, object], line: int) -> tuple[Claim | None, list[Problem]]:
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        return None, [Problem(source, line, "an entry without a 'name'")]
    known = ", ".join(sorted(ENTRY_KEYS))
    problems = [
        Problem(source, line, f"{name!r}: unknown key {key!r} (known: {known})")
        for key in sorted(set(entry) - ENTRY_KEYS)
    ]
    values: dict[str, tuple[str, ...]] = {}
    malformed: set[str] = set()
    for key in ("terms", *DETECTORS):
        value = entry.get(key, [])
        if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
            values[key] = tuple(value)
        else:
            problems.append(Problem(source, line, f"{name!r}: {key!r} must be a list of text"))
            malformed.add(key)
            values[key] = ()
    if not values["terms"] and "terms" not in malformed:
        problems.append(Problem(source, line, f"{name!r}: no 'terms' say how a page names it"))
    if not any(values[key] for key in DETECTORS) and not malformed.intersection(DETECTORS):
        problems.append(
            Problem(
                source,
                line,
                f"{name!r}: nothing says how its presence is detected "
                f"(give one of {', '.join(DETECTORS)})",
            )
        )
    terms: list[re.Pattern[str]] = []
    for term in values["terms"]:
        try:
            terms.append(re.compile(rf"(?<!\w)(?:{term})(?!\w)", re.IGNORECASE))
        except re.error as error:
            problems.append(
                Problem(source, line, f"{name!r}: term {term!r} is not a regex: {error}")
            )
    claim = Claim(
        name,
        line,
        tuple(terms),
        imports=values["imports"],
        names=values["names"],
        strings=values["strings"],
        files=values["files"],
    )
    return claim, problems


def _line_of(lines: list[str], name: object, earlier: int) -> int:
    """The line of the entry named ``name`` that follows ``earlier`` entries of that name."""
    if not isinstance(name, str):
        return 0
    pattern = re.compile(rf"^\s*name\s*=\s*[\"']{re.escape(name)}[\"']")
    found = [number for number, line in enumerate(lines, 1) if pattern.match(line)]
    return found[earlier] if earlier < len(found) else 0


def gather_code(root: Path, snippets_dir: str) -> CodeFacts:
    """Read every Python file under ``snippets_dir`` and list every file of the repository.

    Raises:
        ProblemError: A snippet is not valid Python.
    """
    facts = CodeFacts(files=list(repository_files(root)))
    problems: list[Problem] = []
    for relative in facts.files:
        if not (relative.startswith(f"{snippets_dir}/") and relative.endswith(".py")):
            continue
        source = (root / relative).read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, relative)
        except SyntaxError as error:
            problems.append(Problem(relative, error.lineno or 0, f"not valid Python: {error.msg}"))
            continue
        docstrings = _docstrings(tree)
        _collect_code(tree, docstrings, facts)
        facts.prose += [(relative, line, text) for line, text in _comments(source)]
        for node in docstrings:
            first = node.lineno
            facts.prose += [
                (relative, first + offset, text)
                for offset, text in enumerate(str(node.value).splitlines())
            ]
    if problems:
        raise ProblemError(problems)
    return facts


def repository_files(root: Path) -> Iterator[str]:
    """Every file of the repository, skipping version control, environments and builds."""
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(
            name
            for name in folders
            if name not in _SKIPPED_FOLDERS and not name.startswith(".venv")
        )
        base = Path(folder).relative_to(root)
        for name in sorted(files):
            yield (base / name).as_posix()


def _docstrings(tree: ast.Module) -> list[ast.Constant]:
    found: list[ast.Constant] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.append(body[0].value)
    return found


def _collect_code(tree: ast.Module, docstrings: list[ast.Constant], facts: CodeFacts) -> None:
    skipped = {id(node) for node in docstrings}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                facts.imports.update(_with_parents(alias.name))
                facts.names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            if node.module and not node.level:
                facts.imports.update(_with_parents(node.module))
                facts.imports.update(f"{node.module}.{alias.name}" for alias in node.names)
            facts.names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Name):
            facts.names.add(node.id)
        elif isinstance(node, ast.Attribute):
            facts.names.add(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            facts.names.add(node.name)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        ):
            facts.strings.append(node.value)


def _with_parents(module: str) -> Iterable[str]:
    parts = module.split(".")
    return (".".join(parts[:end]) for end in range(1, len(parts) + 1))


def _comments(source: str) -> Iterator[tuple[int, str]]:
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string.lstrip("#")


def evidence(claim: Claim, facts: CodeFacts) -> str | None:
    """Say what shows that ``claim`` is present, or return None while nothing does."""
    for module in claim.imports:
        if module in facts.imports:
            return f"a snippet imports {module}"
    for name in claim.names:
        if name in facts.names:
            return f"a snippet uses {name}"
    for text in claim.strings:
        if any(text in string for string in facts.strings):
            return f"a snippet contains {text!r}"
    for pattern in claim.files:
        found = next((path for path in facts.files if fnmatch.fnmatchcase(path, pattern)), None)
        if found is not None:
            return f"{found} exists"
    return None


def _how_detected(claim: Claim) -> str:
    ways = [
        *(f"an import of {module}" for module in claim.imports),
        *(f"the name {name}" for name in claim.names),
        *(f"{text!r} in a string" for text in claim.strings),
        *(f"a file {pattern}" for pattern in claim.files),
    ]
    return " or ".join(ways)


def claimed_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """The lines of a page that can claim something: ``(number, text)``.

    Skipped: blockquotes, and the section under a ``Considered options`` heading up to the
    next heading of the same or a higher level.
    """
    exempt_level = 0
    for number, line in enumerate(lines, start=1):
        heading = _HEADING.match(line)
        if heading:
            level = len(heading["hashes"])
            if exempt_level and level <= exempt_level:
                exempt_level = 0
            if heading["text"].strip().lower() == EXEMPT_SECTION:
                exempt_level = level
                continue
        if exempt_level or _BLOCKQUOTE.match(line):
            continue
        yield number, line


def mentions(
    claims: Iterable[Claim], place: str, numbered: Iterable[tuple[int, str]], roadmap: str
) -> list[Problem]:
    """A problem for each line that names one of ``claims``, each claim once per line.

    A mention may run on into the next line ("message" at the end of one, "broker" at the
    start of the next); it is reported on the line where it starts.
    """
    problems: list[Problem] = []
    claims = list(claims)
    numbered = list(numbered)
    for index, (number, text) in enumerate(numbered):
        joined = text
        if index + 1 < len(numbered) and numbered[index + 1][0] == number + 1:
            joined = f"{text} {numbered[index + 1][1].lstrip()}"
        for claim in claims:
            found = _first_mention(claim, joined, len(text))
            if found is not None:
                problems.append(
                    Problem(
                        place,
                        number,
                        f"{found!r} names {claim.name} as if it existed, but nothing shows "
                        f"it (looked for {_how_detected(claim)}); describe what exists, and "
                        f"say what is planned on {roadmap} only",
                    )
                )
    return problems


def _first_mention(claim: Claim, text: str, own_length: int) -> str | None:
    for term in claim.terms:
        for match in term.finditer(text):
            if match.start() < own_length:
                return " ".join(match[0].split())
    return None


def covered_pages(listing: ClaimList, files: Iterable[str]) -> list[str]:
    """The pages the rule covers, the roadmap excepted."""
    return sorted(
        path
        for path in files
        if path != listing.roadmap
        and any(fnmatch.fnmatchcase(path, pattern) for pattern in listing.pages)
    )


def check_claims(root: Path, source: str, snippets_dir: str) -> list[Problem]:
    """Invariant 7 over the pages and the snippets' prose; see the module docstring."""
    try:
        listing = load_claims(root, source)
        facts = gather_code(root, snippets_dir)
    except ProblemError as error:
        return error.problems
    problems: list[Problem] = []
    if listing.roadmap not in facts.files:
        problems.append(Problem(source, 0, f"the roadmap page {listing.roadmap} does not exist"))
    absent = [claim for claim in listing.claims if evidence(claim, facts) is None]
    for page in covered_pages(listing, facts.files):
        lines = (root / page).read_text(encoding="utf-8").splitlines()
        problems += mentions(absent, page, claimed_lines(lines), listing.roadmap)
    by_file: dict[str, list[tuple[int, str]]] = {}
    for path, number, text in facts.prose:
        by_file.setdefault(path, []).append((number, text))
    for path, numbered in sorted((path, sorted(lines)) for path, lines in by_file.items()):
        problems += mentions(absent, path, numbered, listing.roadmap)
    return sorted(problems)
