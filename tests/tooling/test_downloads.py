"""Every example as a zip and a git bundle of its standalone project (``handbook.downloads``)."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig

from handbook.downloads import example_downloads
from handbook.examples import export_bundle, export_zip, write_export


def test_a_download_for_each_example_with_a_project(repo: Path, site_config: MkDocsConfig) -> None:
    downloads = example_downloads(repo, site_config)

    # Not examples/notes, which has no project.
    assert [file.src_uri for file in downloads] == ["downloads/demo.zip", "downloads/demo.bundle"]
    demo, bundle = downloads
    assert demo.content_bytes == export_zip(repo, "demo")
    with zipfile.ZipFile(io.BytesIO(demo.content_bytes)) as archive:
        assert "demo/src/demo/money.py" in archive.namelist()
    assert bundle.content_bytes == export_bundle(repo, "demo")


@pytest.mark.usefixtures("site_config")  # it writes the example into the repository
def test_the_bundle_clones_into_the_export(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "demo.bundle").write_bytes(export_bundle(repo, "demo"))
    subprocess.run(
        ["git", "clone", "--quiet", "demo.bundle", "clone"],  # noqa: S607 - as a reader runs it
        cwd=tmp_path,
        check=True,
    )
    write_export(repo, "demo", tmp_path / "export")

    def tree(folder: Path) -> dict[str, bytes]:
        return {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*")
            if path.is_file() and ".git" not in path.relative_to(folder).parts
        }

    assert tree(tmp_path / "clone") == tree(tmp_path / "export") != {}


def test_a_repository_without_examples_has_no_downloads(
    tmp_path: Path, site_config: MkDocsConfig
) -> None:
    assert example_downloads(tmp_path / "empty", site_config) == []
