"""Lines of code of the write side's persistence machinery, each way, with cloc.

``python -m measure.loc`` counts with cloc (Debian's ``cloc``), which counts Python
docstrings as comments, so the figure is lines that are neither blank, nor comment, nor
docstring. What both ways keep (the tables, the tenant scopes, the query side's mapping,
the outbox and the idempotency store) is counted on neither side. Where a file holds
both, the functions and classes named below are cut out with ``ast`` first and counted
alone, with the imports they use. The Core kernel variant reuses the shop's row mapping
functions, so they are counted on its side too.
"""

import ast
import json
import subprocess
import tempfile
from pathlib import Path

from measure.provenance import EXPERIMENT, ROOT, write

SNIPPETS = ROOT / "snippets"
ORM = EXPERIMENT / "orm_persistence"
KERNEL = EXPERIMENT / "core_kernel"

# (label, file, the top-level definitions to count; None: the whole file)
Part = tuple[str, Path, tuple[str, ...] | None]

CORE: list[Part] = [
    ("catalog repository", SNIPPETS / "catalog/infrastructure/repository.py", None),
    ("catalog unit of work", SNIPPETS / "catalog/infrastructure/unit_of_work.py", None),
    (
        "catalog row mapping (write side)",
        SNIPPETS / "catalog/infrastructure/mapping.py",
        ("product_row", "to_product"),
    ),
    ("ordering repository", SNIPPETS / "ordering/infrastructure/repository.py", None),
    (
        "ordering unit of work",
        SNIPPETS / "ordering/infrastructure/unit_of_work.py",
        ("SqlAlchemyOrderingUnitOfWork",),
    ),
    (
        "ordering row mapping (write side)",
        SNIPPETS / "ordering/infrastructure/mapping.py",
        ("line_rows",),
    ),
]
TEMPLATE: list[Part] = [
    ("template repository", SNIPPETS / "app/infrastructure/database/repository.py", None),
    ("template unit of work", SNIPPETS / "app/infrastructure/database/unit_of_work.py", None),
]
OUR_ORM: list[Part] = [
    ("kernel: registry, money, SessionUnitOfWork", ORM / "kernel.py", None),
    ("catalog mapping", ORM / "catalog_mapping.py", None),
    ("catalog repository and unit of work", ORM / "catalog_persistence.py", None),
    ("ordering mapping and line rows", ORM / "ordering_mapping.py", None),
    ("ordering repository and unit of work", ORM / "ordering_persistence.py", None),
]
CORE_KERNEL: list[Part] = [
    ("kernel: TrackedRepository, ConnectionUnitOfWork", KERNEL / "kernel.py", None),
    ("catalog repository and unit of work", KERNEL / "catalog.py", None),
    ("ordering repository and unit of work", KERNEL / "ordering.py", None),
    *(part for part in CORE if "row mapping" in part[0]),
]


def _source(path: Path, names: tuple[str, ...] | None) -> str:
    """The file, or the named top-level definitions with only the imports they use."""
    text = path.read_text(encoding="utf-8")
    if names is None:
        return text
    tree = ast.parse(text)
    kept = [node for node in tree.body if getattr(node, "name", None) in names]
    missing = set(names) - {getattr(node, "name", None) for node in kept}
    if missing:
        raise SystemExit(f"loc: {path} defines no {sorted(missing)}")
    used = {n.id for node in kept for n in ast.walk(node) if isinstance(n, ast.Name)}
    imports = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            node.names = [a for a in node.names if (a.asname or a.name) in used]
            if node.names:
                imports.append(ast.unparse(node))
    lines = text.splitlines()
    chunks = ["\n".join(imports)]
    for node in kept:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        chunks.append("\n".join(lines[first - 1 : node.end_lineno]))
    return "\n\n".join(chunks) + "\n"


def cloc(parts: list[Part]) -> list[dict[str, object]]:
    """Count each part with cloc; returns label, file, what was counted and the figures."""
    counted = []
    with tempfile.TemporaryDirectory() as temporary:
        for number, (label, path, names) in enumerate(parts):
            copy = Path(temporary) / f"part{number}.py"
            copy.write_text(_source(path, names), encoding="utf-8")
            report = subprocess.run(  # noqa: S603 - cloc on our own files
                ["cloc", "--json", "--quiet", str(copy)],  # noqa: S607 - Debian's cloc
                check=True,
                capture_output=True,
                text=True,
            )
            python = json.loads(report.stdout)["Python"]
            counted.append(
                {
                    "label": label,
                    "file": path.relative_to(ROOT).as_posix(),
                    "definitions": list(names) if names else "whole file",
                    "code": python["code"],
                    "comment": python["comment"],
                    "blank": python["blank"],
                }
            )
    return counted


def cloc_version() -> str:
    """The version of cloc that counted."""
    return subprocess.run(
        ["cloc", "--version"],  # noqa: S607 - Debian's cloc
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def main() -> None:
    """Count, print and write ``results/loc.json``."""
    figures: dict[str, object] = {"cloc": cloc_version()}
    sides = {"core": CORE, "template": TEMPLATE, "orm": OUR_ORM, "core_kernel": CORE_KERNEL}
    for side, parts in sides.items():
        counted = cloc(parts)
        code = sum(int(str(part["code"])) for part in counted)
        figures[side] = {"parts": counted, "code": code}
        print(f"{side:9} {code:4} lines of code")
    print(write("loc", figures))


if __name__ == "__main__":
    main()
