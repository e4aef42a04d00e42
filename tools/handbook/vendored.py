"""Vendored files are the files their README says: every size and SHA-256 checked.

Each folder under ``docs/assets/vendor/`` holds files copied from a package (Mermaid, the
fonts) and a ``README.md`` whose table gives each file's size in bytes and SHA-256, as
``sha256sum`` and ``wc -c`` printed them when the files were copied. The check recomputes
both, so a replaced file with an old README, or a README edited by hand, fails the build;
a file that no table lists fails too, so nothing is served that nobody accounted for.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from handbook.problems import Problem

VENDOR_DIR = Path("assets") / "vendor"
"""Where the vendored folders are, relative to the docs directory."""
README = "README.md"
_CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Recorded:
    """One row of a README's table: what a vendored file was when it was copied.

    Attributes:
        line: The row's line in the README.
        name: The file, relative to the README's folder.
        size: Its size in bytes, or None where the table has no ``bytes`` column.
        sha256: Its digest, lower-case hex.
    """

    line: int
    name: str
    size: int | None
    sha256: str


def recorded_files(text: str) -> list[Recorded]:
    """The rows of every table in ``text`` that has a ``file`` and a ``sha256`` column."""
    rows: list[Recorded] = []
    columns: dict[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("|"):
            columns = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if columns is None:
            columns = {cell.lower(): index for index, cell in enumerate(cells)}
            continue
        if all(cell and set(cell) <= set("-:") for cell in cells):
            continue  # the separator row under the header
        if "file" not in columns or "sha256" not in columns:
            continue
        name = _CODE.search(cells[columns["file"]])
        digest = _CODE.search(cells[columns["sha256"]])
        size = cells[columns["bytes"]].replace(",", "") if "bytes" in columns else None
        rows.append(
            Recorded(
                number,
                name[1] if name else cells[columns["file"]],
                int(size) if size is not None and size.isdigit() else None,
                digest[1].lower() if digest else cells[columns["sha256"]],
            )
        )
    return rows


def check_vendored(vendor: Path, root: Path) -> list[Problem]:
    """Compare every vendored folder's files with the sizes and digests its README records."""
    if not vendor.is_dir():
        return []
    problems: list[Problem] = []
    for folder in sorted(path for path in vendor.iterdir() if path.is_dir()):
        readme = folder / README
        where = readme.relative_to(root).as_posix()
        if not readme.is_file():
            problems.append(Problem(where, 0, "a vendored folder needs a README with checksums"))
            continue
        rows = recorded_files(readme.read_text(encoding="utf-8"))
        for row in rows:
            problems += _compare(where, folder / row.name, row)
        listed = {row.name for row in rows}
        problems += [
            Problem(where, 0, f"{path.name} is vendored but no table gives its sha256")
            for path in sorted(folder.iterdir())
            if path.is_file() and path.name != README and path.name not in listed
        ]
    return sorted(problems)


def _compare(where: str, path: Path, row: Recorded) -> list[Problem]:
    if not path.is_file():
        return [Problem(where, row.line, f"{row.name} is listed but not vendored")]
    content = path.read_bytes()
    problems: list[Problem] = []
    if row.size is not None and row.size != len(content):
        problems.append(
            Problem(where, row.line, f"{row.name} has {len(content):,} bytes, not {row.size:,}")
        )
    digest = hashlib.sha256(content).hexdigest()
    if digest != row.sha256:
        problems.append(
            Problem(where, row.line, f"{row.name} has sha256 {digest}, not {row.sha256}")
        )
    return problems
