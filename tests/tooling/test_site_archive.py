"""The archive that works from disk, offered by the version it copies (``handbook.site_archive``).

The home page's paragraph in each kind of build, the archive added to a build that offers
it, and the publication itself: the minimal handbook deployed twice with mike, as ``nox -s
publish`` does (ADR 94), each version with its own archive in its folder, linked from its
home page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from handbook.site_archive import archive_file, home_paragraph

Writer = Callable[[Path, Mapping[str, str]], Path]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "handbook-1.0.zip"
    path.write_bytes(b"PK\x05\x06" + bytes(18) + b"x" * 2_400_000)  # an empty zip, padded
    return path


@pytest.fixture(autouse=True)
def plain_build(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HANDBOOK_SITE_ARCHIVE", "HANDBOOK_OFFLINE", "HANDBOOK_SITE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_a_plain_build_names_the_session_that_builds_the_archive() -> None:
    text = " ".join(home_paragraph())

    assert "`nox -s offline` builds this site as a zip" in text
    assert "](" not in text


def test_a_publication_links_its_archive(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_SITE_ARCHIVE", str(archive))

    text = " ".join(home_paragraph())

    assert "[download this version as a zip](downloads/handbook-1.0.zip) (2 MB)" in text


def test_the_archive_itself_says_what_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_OFFLINE", "true")
    monkeypatch.setenv("HANDBOOK_SITE_URL", "https://handbook.example.com/")
    text = " ".join(home_paragraph())
    monkeypatch.setenv("HANDBOOK_SITE_URL", "http://127.0.0.1:8000/")
    local = " ".join(home_paragraph())

    assert "You are reading the archive that works from disk" in text
    assert "The hosted site at <https://handbook.example.com/> offers" in text
    assert "The hosted site offers" in local  # no link to a development server


def test_the_archive_is_a_file_of_the_build_only_when_offered(
    archive: Path, site_config: MkDocsConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert archive_file(site_config) is None

    monkeypatch.setenv("HANDBOOK_SITE_ARCHIVE", str(archive))
    offered = archive_file(site_config)
    monkeypatch.setenv("HANDBOOK_SITE_ARCHIVE", str(archive.with_name("missing.zip")))

    assert offered is not None
    assert offered.src_uri == "downloads/handbook-1.0.zip"
    assert offered.abs_src_path == str(archive)
    with pytest.raises(PluginError, match=r"missing\.zip is no zip file: build it with"):
        archive_file(site_config)


def _run(repo: Path, *command: str, env: Mapping[str, str] | None = None) -> str:
    tools = Path(sys.executable).parent  # mike, and the `mkdocs` it runs, from this environment
    return subprocess.run(  # noqa: S603 - fixed programs, arguments from this test
        command,
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            **(env or {}),
            "PATH": str(tools) + os.pathsep + os.environ.get("PATH", ""),
            "GIT_AUTHOR_NAME": "test",
            "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "test",
            "GIT_COMMITTER_EMAIL": "test@example.invalid",
        },
    ).stdout


def test_each_published_version_offers_its_own_archive(
    proved_repo: Path, write: Writer, tmp_path: Path
) -> None:
    home = (proved_repo / "docs" / "index.md").read_text(encoding="utf-8")
    write(
        proved_repo,
        {"docs/index.md": home + "\n/// generated | handbook.site_archive:home_paragraph\n///\n"},
    )
    _run(proved_repo, "git", "init", "--quiet", "--initial-branch", "main")
    _run(proved_repo, "git", "add", "--all")
    _run(proved_repo, "git", "commit", "--quiet", "--message", "the handbook")
    for version in ("1.0", "2.0"):
        archive = tmp_path / f"handbook-{version}.zip"
        archive.write_bytes(f"archive {version}".encode())
        env = {"HANDBOOK_SITE_ARCHIVE": str(archive), "NO_MKDOCS_2_WARNING": "1"}
        _run(proved_repo, "mike", "deploy", "--update-aliases", version, "latest", env=env)

    for version in ("1.0", "2.0"):
        offered = f"{version}/downloads/handbook-{version}.zip"
        page = _run(proved_repo, "git", "show", f"gh-pages:{version}/index.html")
        assert _run(proved_repo, "git", "show", f"gh-pages:{offered}") == f"archive {version}"
        assert f'href="downloads/handbook-{version}.zip"' in page
