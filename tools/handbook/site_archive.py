"""The archive that works from disk, offered by the version of the site it copies (ADR 94).

``nox -s offline`` packs the site as ``dist/offline/NAME-VERSION.zip`` (ADR 68), and
``nox -s publish`` builds each version with ``HANDBOOK_SITE_ARCHIVE`` naming that zip: the
handbook plugin then adds it to the build as ``downloads/NAME-VERSION.zip``
(:func:`archive_file`), so mike commits it into the version's own folder, beside the pages
it copies. The home page says what a reader can do, by what the build is
(:func:`home_paragraph`, a ``/// generated`` directive):

- a build that offers the archive links to it;
- the archive itself, opened from disk, says so, and where the hosted site is;
- any other build (``nox -s docs``, ``nox -s serve``) names the session that builds it.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ARCHIVE = "HANDBOOK_SITE_ARCHIVE"
"""The zip this build offers for download; unset: none."""
OFFLINE = "HANDBOOK_OFFLINE"
"""``true`` when this build is the archive itself (Material's offline plugin on)."""
SITE_URL = "HANDBOOK_SITE_URL"
"""Where the site is published, as ``mkdocs.yml`` reads it."""
FOLDER = "downloads"


def offered_archive() -> Path | None:
    """The archive this build offers, as ``HANDBOOK_SITE_ARCHIVE`` names it, if it does.

    Raises:
        PluginError: The variable names no file: a publication without its archive.
    """
    named = os.environ.get(ARCHIVE, "").strip()
    if not named:
        return None
    path = Path(named).resolve()
    if not path.is_file() or path.suffix != ".zip":
        raise PluginError(f"{ARCHIVE}={named} is no zip file: build it with `nox -s offline`")
    return path


def archive_file(config: MkDocsConfig) -> File | None:
    """The archive as a file of the build, ``downloads/NAME.zip``, when one is offered."""
    path = offered_archive()
    if path is None:
        return None
    return File.generated(config, f"{FOLDER}/{path.name}", abs_src_path=str(path))


def home_paragraph() -> list[str]:
    """What the home page says of the archive, by what this build is (Markdown lines)."""
    if os.environ.get(OFFLINE, "").strip().lower() == "true":
        hosted = os.environ.get(SITE_URL, "").strip()
        where = f" at <{hosted}>" if hosted.startswith("https://") else ""
        return [
            "**You are reading the archive that works from disk**: this copy navigates and",
            "searches with no network and no web server. The hosted site"
            + where
            + " offers the archive of each version on its home page.",
        ]
    path = offered_archive()
    if path is None:
        return [
            "**Reading offline:** `nox -s offline` builds this site as a zip that works from",
            "disk; the published site offers that archive of each version here.",
        ]
    size = path.stat().st_size / 1_000_000
    return [
        f"**Reading offline:** [download this version as a zip]({FOLDER}/{path.name})",
        f"({size:.0f} MB). Unpack it anywhere and open `index.html`: it navigates and",
        "searches from disk, with no network and no web server.",
    ]
