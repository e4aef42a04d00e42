"""What ``nox -s container`` writes into the container page, and how a typed size is caught."""

import json
import shutil
from pathlib import Path

from handbook.image_size import END, FIGURES, PAGE, START, check_page, render, write
from handbook.paths import repository_root


def page_copy(tmp_path: Path) -> Path:
    """A copy of the repository's container page under ``tmp_path``, at the page's path."""
    (tmp_path / PAGE).parent.mkdir(parents=True)
    shutil.copy(repository_root() / PAGE, tmp_path / PAGE)
    return tmp_path / PAGE


def test_the_repositorys_page_shows_a_size_its_figures_render() -> None:
    assert check_page(repository_root()) == []


def test_write_renders_the_sizes_between_the_markers_and_the_check_accepts_them(
    tmp_path: Path,
) -> None:
    page = page_copy(tmp_path)

    figures = write(tmp_path, 123_456_789, 100_000_000, "localhost/base:1")

    text = page.read_text(encoding="utf-8")
    assert render(figures) in text
    assert "**123.5 MB** (123,456,789 bytes" in text
    assert "100.0 MB of it the base (`localhost/base:1`), 23.5 MB the shop's" in text
    assert check_page(tmp_path) == []


def test_a_typed_size_and_missing_or_broken_figures_fail_the_check(tmp_path: Path) -> None:
    page = page_copy(tmp_path)
    write(tmp_path, 123_456_789, 100_000_000, "localhost/base:1")
    written = page.read_text(encoding="utf-8")

    page.write_text(written.replace("**123.5 MB**", "**99.0 MB**"), encoding="utf-8")
    (typed,) = check_page(tmp_path)
    assert "never edit it" in typed.message

    start, end = written.index(START), written.index(END)
    page.write_text(written[:start] + START + "\n" + written[end:], encoding="utf-8")
    (missing,) = check_page(tmp_path)
    assert "run nox -s container" in missing.message

    other = FIGURES + json.dumps({"size": 1}) + " -->"
    page.write_text(written[:start] + START + "\n" + other + "\n" + written[end:], "utf-8")
    (foreign,) = check_page(tmp_path)
    assert "never edit it" in foreign.message

    page.write_text("no markers", encoding="utf-8")
    (lost,) = check_page(tmp_path)
    assert "lost its markers" in lost.message


def test_without_the_page_there_is_nothing_to_check(tmp_path: Path) -> None:
    assert check_page(tmp_path) == []
