"""Finding the repository from inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.paths import repository_root


def test_the_nearest_folder_with_mkdocs_yml_and_pyproject_toml(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: outer\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    inner = tmp_path / "docs" / "deep"
    inner.mkdir(parents=True)
    (tmp_path / "docs" / "mkdocs.yml").write_text("site_name: no pyproject here\n", "utf-8")

    assert repository_root(inner) == tmp_path
    assert repository_root(tmp_path) == tmp_path


def test_this_repository() -> None:
    root = repository_root()

    assert (root / "tools" / "handbook" / "paths.py").is_file()


def test_no_repository_above(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no handbook repository"):
        repository_root(tmp_path)
