"""A digest of everything a proof depends on, to tell a fresh proof from a stale one.

``nox -s docs`` reuses the proof that ``nox -s tests`` just wrote when this digest is
unchanged, and runs the tests again otherwise, so the site is always built on a proof of
exactly the code it shows.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

INPUTS = ("snippets", "tests", "docs", "examples", "tools/handbook")
"""Folders whose files the test run reads (code, tests, pages with doctests)."""
SUFFIXES = frozenset({".py", ".md", ".toml", ".ini", ".cfg", ".yaml", ".yml", ".json"})
SKIPPED = frozenset({"__pycache__", ".pytest_cache", "assets", "site", ".venv"})


def fingerprint(root: Path) -> str:
    """The SHA-256 over the names and bytes of every input file, as hex."""
    digest = hashlib.sha256()
    files = [root / "pyproject.toml"]
    for folder in INPUTS:
        files += [
            path
            for path in (root / folder).rglob("*")
            if path.is_file()
            and path.suffix in SUFFIXES
            and not SKIPPED.intersection(path.relative_to(root).parts)
        ]
    for path in sorted(set(files)):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def recorded_fingerprint(proof: Path) -> str | None:
    """The fingerprint the proof at ``proof`` was made from; None without one.

    A proof of part of the suite records none, so nothing mistakes it for a whole one.
    """
    if not proof.is_file():
        return None
    value = json.loads(proof.read_text(encoding="utf-8")).get("fingerprint")
    return value if isinstance(value, str) else None
