"""Every example as a zip of its standalone project (``handbook.downloads``)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from handbook.downloads import example_downloads
from handbook.examples import export_zip


def test_a_download_for_each_example_with_a_project(repo: Path, site_config: MkDocsConfig) -> None:
    downloads = example_downloads(repo, site_config)

    assert [file.src_uri for file in downloads] == ["downloads/demo.zip"]  # not examples/notes
    (demo,) = downloads
    assert demo.content_bytes == export_zip(repo, "demo")
    with zipfile.ZipFile(io.BytesIO(demo.content_bytes)) as archive:
        assert "demo/src/demo/money.py" in archive.namelist()


def test_a_repository_without_examples_has_no_downloads(
    tmp_path: Path, site_config: MkDocsConfig
) -> None:
    assert example_downloads(tmp_path / "empty", site_config) == []
