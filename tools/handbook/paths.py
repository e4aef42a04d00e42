"""Where the repository is, for code that runs from inside it."""

from __future__ import annotations

from pathlib import Path


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: this file) holding ``mkdocs.yml``.

    Raises:
        FileNotFoundError: No such folder exists above ``start``.
    """
    here = (start or Path(__file__)).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "pyproject.toml").is_file():
            return folder
    raise FileNotFoundError(f"no handbook repository (mkdocs.yml + pyproject.toml) above {here}")
