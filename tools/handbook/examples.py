"""Example systems: how each is assembled from ``snippets/`` and exported as a project.

An example under ``examples/NAME`` holds only what is its own (pyproject, tests,
configuration, migrations, deployment files). Its ``pyproject.toml`` pulls its packages
from ``snippets/`` with hatchling's ``force-include`` table::

    [tool.hatch.build.targets.wheel.force-include]
    "../../snippets/app" = "app"

so the wheel is built from the one copy of the code. :func:`plan_export` turns the same
table into a standalone project with a ``src/`` layout, region markers stripped and
nothing pointing back into this repository; the page of an example shows its tree and
offers it as a zip and as a git bundle, all computed from that plan at build time.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import tomlkit
from tomlkit.items import Table

from handbook.git_bundle import git_bundle
from handbook.problems import Problem, ProblemError
from handbook.regions import MARKER_TOKEN, strip_markers

IGNORED_PARTS = frozenset(
    {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".venv", "dist", "build", ".nox"}
)
IGNORED_SUFFIXES = frozenset({".pyc", ".db", ".sqlite", ".sqlite3"})
FORCE_INCLUDE = ("tool", "hatch", "build", "targets", "wheel", "force-include")


@dataclass(frozen=True)
class ExportFile:
    """One file of an exported project.

    Attributes:
        destination: Its path inside the exported project.
        content: Its bytes, markers stripped and the pyproject rewritten.
    """

    destination: str
    content: bytes


def example_dir(root: Path, name: str) -> Path:
    """Return ``examples/NAME``.

    Raises:
        ProblemError: There is no such example.
    """
    directory = root / "examples" / name
    if not (directory / "pyproject.toml").is_file():
        known = ", ".join(sorted(p.name for p in (root / "examples").iterdir() if p.is_dir()))
        raise ProblemError(
            [Problem(f"examples/{name}", 0, f"no example {name!r} (known: {known})")]
        )
    return directory


def files_under(directory: Path) -> list[Path]:
    """The files under ``directory`` that are sources: no caches, builds, bytecode, databases."""
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and not IGNORED_PARTS.intersection(path.relative_to(directory).parts)
        and path.suffix not in IGNORED_SUFFIXES
        and not path.name.endswith(".egg-info")
    )


def _included_packages(directory: Path, pyproject: tomlkit.TOMLDocument) -> dict[Path, str]:
    table: object = pyproject
    for key in FORCE_INCLUDE:
        if not isinstance(table, dict) or key not in table:
            return {}
        table = table[key]
    assert isinstance(table, dict)  # noqa: S101 - narrowed for the type checker
    return {(directory / source).resolve(): str(target) for source, target in table.items()}


def plan_export(root: Path, name: str) -> list[ExportFile]:
    """Compute the files of example ``name`` as a standalone project.

    Args:
        root: The repository root.
        name: The example's directory name under ``examples/``.

    Returns:
        The files, sorted by destination.

    Raises:
        ProblemError: The example is missing, or something exported would still point
            back into this repository.
    """
    directory = example_dir(root, name)
    pyproject = tomlkit.parse((directory / "pyproject.toml").read_text(encoding="utf-8"))
    packages = _included_packages(directory, pyproject)
    files: list[ExportFile] = []
    for source, target in sorted(packages.items()):
        for path in files_under(source):
            destination = PurePosixPath("src", target, path.relative_to(source).as_posix())
            files.append(ExportFile(str(destination), _exported_bytes(path)))
    for path in files_under(directory):
        relative = path.relative_to(directory).as_posix()
        if relative == "pyproject.toml":
            content = _standalone_pyproject(name, pyproject, sorted(packages.values())).encode()
        else:
            content = _exported_bytes(path)
        files.append(ExportFile(relative, content))
    files.sort(key=lambda file: file.destination)
    _refuse_backlinks(name, files)
    return files


def _exported_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    return strip_markers(text).encode("utf-8") if MARKER_TOKEN in text else raw


def _standalone_pyproject(name: str, pyproject: tomlkit.TOMLDocument, packages: list[str]) -> str:
    document = tomlkit.parse(tomlkit.dumps(pyproject))
    wheel: object = document
    for key in FORCE_INCLUDE[:-1]:
        wheel = wheel.get(key) if isinstance(wheel, dict) else None
    if not isinstance(wheel, Table):
        raise ProblemError(
            [Problem(f"examples/{name}/pyproject.toml", 0, "no [tool.hatch.build.targets.wheel]")]
        )
    if "force-include" in wheel:
        del wheel["force-include"]
    for key in ("bypass-selection", "only-include"):
        if key in wheel:
            del wheel[key]
    wheel["packages"] = [f"src/{package}" for package in packages]
    return strip_markers(tomlkit.dumps(document))


def _refuse_backlinks(name: str, files: list[ExportFile]) -> None:
    problems: list[Problem] = []
    for file in files:
        try:
            text = file.content.decode("utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if "../../snippets" in line or MARKER_TOKEN in line:
                problems.append(
                    Problem(
                        f"export:{name}/{file.destination}",
                        number,
                        "still points into the handbook repository: " + line.strip(),
                    )
                )
    if problems:
        raise ProblemError(problems)


def project_tree(root: Path, argument: str) -> list[str]:
    """The paths of an exported example, for ``/// tree | examples/NAME``."""
    name = PurePosixPath(argument).name
    return [file.destination for file in plan_export(root, name)]


def write_export(root: Path, name: str, destination: Path) -> list[ExportFile]:
    """Write example ``name`` as a standalone project into ``destination``.

    Raises:
        ProblemError: As :func:`plan_export`, or ``destination`` exists and is not empty.
    """
    if destination.exists() and any(destination.iterdir()):
        raise ProblemError([Problem(str(destination), 0, "destination exists and is not empty")])
    files = plan_export(root, name)
    for file in files:
        target = destination / file.destination
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)
    return files


def export_zip(root: Path, name: str) -> bytes:
    """The exported example as a zip archive with one top-level folder, for download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in plan_export(root, name):
            info = zipfile.ZipInfo(f"{name}/{file.destination}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, file.content)
    return buffer.getvalue()


def export_bundle(root: Path, name: str) -> bytes:
    """The exported example as a git bundle of one commit, for ``git clone NAME.bundle``."""
    files = ((file.destination, file.content) for file in plan_export(root, name))
    return git_bundle(files, f"The {name} example, exported from the Enterprise Python Handbook")
