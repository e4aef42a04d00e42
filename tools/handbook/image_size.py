"""The container image's size on its page, written by ``nox -s container``, never typed.

The image test (``tests/container``) builds the exported shop's image, asks podman for its
size and that of the base it was built on, and calls :func:`write`, which renders them
between two markers of the container page, with the figures in a comment beside the
sentence. :func:`check_page`, part of ``python -m handbook check``, fails when the sentence
is not the rendering of the figures beside it: someone typed a size.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from handbook.machine import machine
from handbook.problems import Problem

PAGE = "docs/operations/container.md"
START = "<!-- image-size:start -->"
END = "<!-- image-size:end -->"
FIGURES = "<!-- figures: "

Figures = dict[str, Any]


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def render(figures: Figures) -> str:
    """The text between the markers, figures included: what :func:`check_page` expects."""
    image, base = figures["image_bytes"], figures["base_bytes"]
    sentence = (
        f"The image measured **{_megabytes(image)}** ({image:,} bytes, as `podman image "
        f"inspect` reports it) when `nox -s container` last built it, on "
        f"{figures['date']}: {_megabytes(base)} of it the base (`{figures['base']}`), "
        f"{_megabytes(image - base)} the shop's environment and its user. Measured on "
        f"{figures['machine']}."
    )
    comment = FIGURES + json.dumps(figures, sort_keys=True) + " -->"
    return f"{START}\n{comment}\n{sentence}\n{END}"


def write(root: Path, image_bytes: int, base_bytes: int, base: str) -> Figures:
    """Write the sizes into the page's block; return the figures written."""
    figures: Figures = {
        "image_bytes": image_bytes,
        "base_bytes": base_bytes,
        "base": base,
        "date": f"{datetime.now(UTC):%Y-%m-%d}",
        "machine": machine(),
    }
    path = root / PAGE
    page = path.read_text(encoding="utf-8")
    start, end = page.index(START), page.index(END) + len(END)
    path.write_text(page[:start] + render(figures) + page[end:], encoding="utf-8")
    return figures


def check_page(root: Path) -> list[Problem]:
    """The page's block renders the figures beside it; no size was typed."""
    path = root / PAGE
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return [Problem(PAGE, 0, f"the page lost its markers {START} and {END}")]
    start, end = text.index(START), text.index(END) + len(END)
    line = text[:start].count("\n") + 1
    found = next((row for row in text[start:end].splitlines() if row.startswith(FIGURES)), None)
    if found is None:
        return [Problem(PAGE, line, "no image size between the markers: run nox -s container")]
    try:
        same = (
            render(json.loads(found.removeprefix(FIGURES).removesuffix(" -->")))
            == (text[start:end])
        )
    except (KeyError, TypeError, ValueError):  # figures of another version of the block
        same = False
    if not same:
        return [Problem(PAGE, line, "the image size differs from its figures: never edit it")]
    return []
