"""Versions: mike deploys two versions, and the offline site serves both with a selector.

The test makes a git repository of its own with a small site configured as the handbook
is for publishing (Material's ``extra.version.provider: mike``), deploys version 1.0,
then 2.0 with the ``latest`` alias, as ``nox -s publish`` does (ADR 42), exports the
branch mike wrote, and serves it on 127.0.0.1. Chromium, which may reach no other host,
must be sent from the root to ``latest``, see 2.0 in the selector with 1.0 listed, and
reach 1.0 through it.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import subprocess
import sys
import tarfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed: the browser tests did not run (nox -s browser runs them)",
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

CONFIG = """\
site_name: Versioned
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
extra:
  version:
    provider: mike
    default: latest
"""

SELECTOR = """
() => ({
  current: document.querySelector(".md-version__current")?.textContent.trim() ?? null,
  listed: [...document.querySelectorAll(".md-version__list .md-version__link")]
    .map((a) => a.textContent.trim()),
})
"""
"""What Material's version selector shows: the current version and every listed one."""


def _git(repo: Path, *arguments: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from this test
        ["git", *arguments],  # noqa: S607 - git from PATH, as mike uses it
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "test",
            "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "test",
            "GIT_COMMITTER_EMAIL": "test@example.invalid",
        },
    )
    return result.stdout


def _mike(repo: Path, *arguments: str) -> None:
    tools = Path(sys.executable).parent  # mike, and the `mkdocs` it runs from PATH
    subprocess.run(  # noqa: S603 - this environment's mike
        [str(tools / "mike"), *arguments],
        cwd=repo,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "PATH": str(tools) + os.pathsep + os.environ.get("PATH", ""),
            "GIT_COMMITTER_NAME": "test",
            "GIT_COMMITTER_EMAIL": "test@example.invalid",
        },
    )


@pytest.fixture(scope="module")
def versioned_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Deploy 1.0, then 2.0 as ``latest``, with mike; export the branch it wrote."""
    repo = tmp_path_factory.mktemp("versioned") / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    _git(repo, "init", "--quiet", "--initial-branch", "main")
    for version in ("1.0", "2.0"):
        (repo / "docs" / "index.md").write_text(f"# Release {version}\n", encoding="utf-8")
        _git(repo, "add", "--all")
        _git(repo, "commit", "--quiet", "--message", version)
        _mike(repo, "deploy", "--update-aliases", "--alias-type=redirect", version, "latest")
    _mike(repo, "set-default", "latest")
    archive = subprocess.run(
        ["git", "archive", "gh-pages"],  # noqa: S607 - git from PATH
        cwd=repo,
        check=True,
        capture_output=True,
    ).stdout
    site = repo.parent / "published"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(site, filter="data")
    return site


@pytest.fixture(scope="module")
def versioned_url(versioned_site: Path) -> Iterator[str]:
    """Serve the exported branch on 127.0.0.1 and a free port."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Keep the test output clean."""

    handler = functools.partial(Quiet, directory=str(versioned_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_mike_wrote_both_versions_and_latest_points_at_the_newest(versioned_site: Path) -> None:
    versions = (versioned_site / "versions.json").read_text(encoding="utf-8")

    assert (versioned_site / "1.0" / "index.html").is_file()
    assert (versioned_site / "2.0" / "index.html").is_file()
    assert '"version": "2.0"' in versions
    assert '"latest"' in versions
    assert "Release 1.0" in (versioned_site / "1.0" / "index.html").read_text(encoding="utf-8")


def test_the_selector_serves_both_versions_offline(
    tab: Page, versioned_url: str, problems: Callable[[], list[str]]
) -> None:
    tab.goto(versioned_url)
    tab.wait_for_url(versioned_url + "2.0/")
    tab.locator(".md-version__current").wait_for()
    newest = tab.evaluate(SELECTOR)
    heading = tab.locator("h1").inner_text()

    tab.locator(".md-version__current").focus()  # the list opens on focus, as on hover
    tab.locator(".md-version__list a", has_text="1.0").click()
    tab.wait_for_url(versioned_url + "1.0/")
    tab.locator(".md-version__current").wait_for()
    older = tab.evaluate(SELECTOR)

    assert newest["current"] == "2.0"
    assert newest["listed"][:2] == ["2.0", "1.0"]
    assert heading == "Release 2.0"
    assert older["current"] == "1.0"
    assert tab.locator("h1").inner_text() == "Release 1.0"
    assert problems() == []
