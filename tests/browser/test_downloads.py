"""The built site's downloads: every example as a zip and as a git bundle (ADR 92).

No browser is needed: the test reads ``downloads/`` of the site under test, clones each
bundle with git, as a reader would (``git clone NAME.bundle NAME``), and requires the
checkout to hold exactly the files of the zip beside it, byte for byte, on ``main`` with
one commit. The page of each example must offer both.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest


def bundles(site: Path) -> list[Path]:
    return sorted((site / "downloads").glob("*.bundle"))


def test_every_zip_has_a_bundle_beside_it(site_dir: Path) -> None:
    zips = sorted(path.stem for path in (site_dir / "downloads").glob("*.zip"))

    assert zips, "the site offers no example as a zip"
    assert [path.stem for path in bundles(site_dir)] == zips


def test_every_bundle_clones_into_the_files_of_its_zip(site_dir: Path, tmp_path: Path) -> None:
    for bundle in bundles(site_dir):
        name = bundle.stem
        subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "clone", "--quiet", str(bundle), name],  # noqa: S607 - as a reader runs it
            cwd=tmp_path,
            check=True,
        )
        checkout = tmp_path / name
        cloned = {
            path.relative_to(checkout).as_posix(): path.read_bytes()
            for path in checkout.rglob("*")
            if path.is_file() and ".git" not in path.relative_to(checkout).parts
        }
        with zipfile.ZipFile(bundle.with_suffix(".zip")) as archive:
            zipped = {
                entry.filename.removeprefix(f"{name}/"): archive.read(entry)
                for entry in archive.infolist()
                if not entry.is_dir()
            }
        assert cloned == zipped, name
        commits = subprocess.run(
            ["git", "rev-list", "--count", "main"],  # noqa: S607
            cwd=checkout,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert commits == "1\n", name


EXAMPLE_PAGES = {
    "shop": "examples/shop/index.html",
    "service-template": "examples/service-template/index.html",
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_PAGES))
def test_an_examples_page_offers_both(site_dir: Path, name: str) -> None:
    html = (site_dir / EXAMPLE_PAGES[name]).read_text(encoding="utf-8")

    assert f'downloads/{name}.zip"' in html
    assert f'downloads/{name}.bundle"' in html
