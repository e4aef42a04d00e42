"""The house layout of the example systems, checked: every module where the rule puts it.

The rule is data, ``[tool.handbook.layout]`` in the root ``pyproject.toml``: for each
kind of package (a bounded context, a deployable, a kernel) the paths a module may have,
and for each package of ``snippets/`` its kinds. A path pattern names its free parts in
braces, ``application/use_cases/{verb}_{noun}.py``: each brace stands for a lower-case
``snake_case`` word, so the folder is fixed and the file's name follows the convention.
``python -m handbook check`` refuses a module whose path fits no pattern of its
package's kinds, a package the table does not name, and a use case module without the
``async def`` of its own name, each as ``file:line: message``, the message naming the
rule that the path breaks.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from handbook.problems import Problem

_WORD = r"[a-z][a-z0-9]*"
_FREE = re.compile(r"\{([a-z_]+)\}")
USE_CASE_FOLDER = "application/use_cases"
RULE = "the house layout (style guide, 'Where code lives')"


@dataclass(frozen=True)
class Layout:
    """The rule: which paths each kind of package allows, and each package's kinds.

    Attributes:
        kinds: Path patterns by kind, e.g. ``{"context": ["domain/errors.py", ...]}``.
        packages: The kinds of each top-level package, e.g. ``{"app": ["context",
            "deployable"]}``.
    """

    kinds: dict[str, list[str]]
    packages: dict[str, list[str]]

    @classmethod
    def read(cls, root: Path) -> Layout | None:
        """Read ``[tool.handbook.layout]`` of the repository at ``root``; None if absent."""
        with (root / "pyproject.toml").open("rb") as file:
            table = tomllib.load(file).get("tool", {}).get("handbook", {}).get("layout")
        if table is None:
            return None
        return cls(kinds=dict(table["kinds"]), packages=dict(table["packages"]))

    def patterns(self, package: str) -> list[str]:
        """The path patterns of ``package``: those of all its kinds."""
        return [pattern for kind in self.packages[package] for pattern in self.kinds[kind]]


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Turn ``domain/events/{aggregate}_events.py`` into a regular expression.

    ``{number}`` stands for digits; any other brace for a ``snake_case`` name, so
    ``{verb}_{noun}`` takes two words at least.
    """
    parts = _FREE.split(pattern)
    # split() alternates literal text and brace names.
    return re.compile(
        "".join(
            re.escape(part)
            if index % 2 == 0
            else "[0-9]+"
            if part == "number"
            else f"{_WORD}(?:_{_WORD})*"
            for index, part in enumerate(parts)
        )
    )


def check_layout(root: Path, snippets_dir: str) -> list[Problem]:
    """Every Python module under ``snippets_dir`` where the layout of its package puts it.

    Returns:
        Nothing when the repository has no ``[tool.handbook.layout]`` table.
    """
    layout = Layout.read(root)
    if layout is None:
        return []
    problems: list[Problem] = []
    base = root / snippets_dir
    for package_dir in sorted(path for path in base.iterdir() if path.is_dir()):
        package = package_dir.name
        if package.startswith((".", "_")):
            continue  # caches
        modules = sorted(
            path for path in package_dir.rglob("*.py") if "__pycache__" not in path.parts
        )
        where = f"{snippets_dir}/{package}"
        if package not in layout.packages:
            problems.append(
                Problem(
                    f"{where}/__init__.py",
                    0,
                    f"package {package!r} has no kind in [tool.handbook.layout.packages]: "
                    "name it a context, a deployable or a kernel there, so "
                    f"{RULE} applies to it",
                )
            )
            continue
        patterns = layout.patterns(package)
        compiled = [compile_pattern(pattern) for pattern in patterns]
        for module in modules:
            relative = module.relative_to(package_dir).as_posix()
            path = f"{where}/{relative}"
            if not any(regex.fullmatch(relative) for regex in compiled):
                problems.append(Problem(path, 0, _misplaced(relative, package, layout)))
            elif PurePosixPath(relative).parent.as_posix() == USE_CASE_FOLDER and (
                module.name != "__init__.py"
            ):
                problems += _check_use_case(path, module)
    return problems


def _misplaced(relative: str, package: str, layout: Layout) -> str:
    kinds = " and ".join(layout.packages[package])
    patterns = [p for p in layout.patterns(package) if PurePosixPath(p).name != "__init__.py"]
    folder = PurePosixPath(relative).parent.as_posix()
    # The rule of the nearest folder the layout knows, so the message says where to go.
    while folder != "." and not any(p.startswith(f"{folder}/") for p in patterns):
        folder = PurePosixPath(folder).parent.as_posix()
    prefix = "" if folder == "." else f"{folder}/"
    files: list[str] = []
    folders: dict[str, list[str]] = {}
    for pattern in patterns:
        if not pattern.startswith(prefix):
            continue
        head, _, rest = pattern[len(prefix) :].partition("/")
        if rest:
            folders.setdefault(f"{head}/", []).append(rest)
        else:
            files.append(head)
    allowed = sorted(dict.fromkeys(files)) + [
        f"in {name} {', '.join(sorted(dict.fromkeys(rests)))}"
        for name, rests in sorted(folders.items())
    ]
    place = "at the top of the package" if folder == "." else f"under {prefix}"
    return (
        f"{relative!r} breaks {RULE} of a {kinds} ({package}): {place} a module is "
        f"{'; '.join(allowed)}"
    )


def _check_use_case(path: str, module: Path) -> list[Problem]:
    name = module.stem
    tree = ast.parse(module.read_text(encoding="utf-8"))
    if any(isinstance(node, ast.AsyncFunctionDef) and node.name == name for node in tree.body):
        return []
    return [
        Problem(
            path,
            1,
            f"a use case module holds the use case of its name, 'async def {name}(...)' "
            f"({RULE}: one module per use case)",
        )
    ]
