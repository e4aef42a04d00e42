"""What the noxfile imports from the tooling runs where nox runs: on the standard library.

The noxfile imports a few of the tooling's modules before a session's environment exists
(to refuse a busy address before installing anything, to tell whether the proof is fresh,
to build the tests' command line), in nox's own interpreter, which has none of the
handbook's dependencies.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import handbook

ROOT = Path(handbook.__file__).resolve().parents[2]


def imported_by_the_noxfile() -> list[str]:
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return sorted(module for module in modules if module and module.startswith("handbook."))


def test_the_noxfile_imports_only_tooling_that_needs_no_installed_package() -> None:
    modules = imported_by_the_noxfile()
    # -S: no site-packages, as in an interpreter that has nothing installed.
    script = "import sys; sys.path.insert(0, 'tools'); " + "; ".join(
        f"import {module}" for module in modules
    )

    imported = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-S", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert modules == [
        "handbook.address",
        "handbook.coverage_options",
        "handbook.fingerprint",
        "handbook.stamps",
    ]
    assert imported.returncode == 0, imported.stderr
