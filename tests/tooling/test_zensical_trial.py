"""What ``nox -s zensical`` reads from two builds, and what it writes into ADR 73."""

from __future__ import annotations

from pathlib import Path

from handbook.paths import repository_root
from handbook.zensical_trial import (
    END,
    RECORD,
    START,
    Build,
    SiteFigures,
    figures_of,
    problems_in,
    report,
    trial_config,
    write_report,
)

# As Zensical 0.0.73 prints them, colours included.
OUTPUT = (
    "Build started\n"
    "\x1b[33mWarning:\x1b[0m page does not exist\n"
    "    \x1b[38;5;246m╭─[\x1b[0m decisions/0017-ports.md:89:20 \x1b[38;5;246m]\x1b[0m\n"
    "    │\n"
    " 89 │   ([`test_api.py`](../source/test_api.py.md)); every\n"
    "────╯\n"
    "Warning: page does not exist\n"
    "     ╭─[ decisions/0026-kernel.md:158:19 ]\n"
    "─────╯\n"
    "Error: something else\n"
    "     ╭─[ index.md:1:1 ]\n"
    "2 issues found\n"
)


def test_each_problem_is_read_with_the_page_it_names() -> None:
    found = problems_in(OUTPUT)

    assert [(w.what, w.page) for w in found] == [
        ("page does not exist", "decisions/0017-ports.md"),
        ("page does not exist", "decisions/0026-kernel.md"),
        ("something else", "index.md"),
    ]


def test_a_headline_without_a_place_counts_nothing() -> None:
    assert problems_in("Warning: no place follows\nBuild finished\n") == []


def write(site: Path, page: str, html: str) -> None:
    path = site / page
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def test_a_site_is_counted_page_by_page(tmp_path: Path) -> None:
    write(tmp_path, "index.html", '<div class="listing"></div><div class="listing"></div>')
    write(
        tmp_path,
        "layers/domain/index.html",
        '<div class="listing"></div><p class="listing-proof listing-proof--pending"></p>',
    )
    write(tmp_path, "reference/index.html", '<div class="doc doc-object doc-class"></div>')
    write(tmp_path, "search.json", "{}")

    figures = figures_of(tmp_path)

    assert figures == SiteFigures(
        pages=frozenset({"index.html", "layers/domain/index.html", "reference/index.html"}),
        listings=3,
        pending=1,
        api_objects=1,
        has_search_index=True,
    )


def test_only_the_pages_asked_for_have_their_listings_counted(tmp_path: Path) -> None:
    write(tmp_path, "index.html", '<div class="listing"></div>')
    write(tmp_path, "source/test_x.py/index.html", '<span>class="listing"</span>')

    figures = figures_of(tmp_path, frozenset({"index.html"}))

    assert figures.listings == 1
    assert figures.pages == {"index.html", "source/test_x.py/index.html"}


def test_a_site_without_a_search_index_says_so(tmp_path: Path) -> None:
    write(tmp_path, "index.html", "")

    assert not figures_of(tmp_path).has_search_index


def figures(*pages: str, listings: int = 4, pending: int = 0) -> SiteFigures:
    return SiteFigures(frozenset(pages), listings, pending, 7, has_search_index=True)


def test_the_report_names_what_zensical_did_not_build_by_folder() -> None:
    mkdocs = Build(20.0, figures("index.html", "source/a.html", "source/b.html", "x/c.html"))
    zensical = Build(9.5, figures("index.html", "x/c.html", pending=2))

    text = report(mkdocs, zensical, problems_in(OUTPUT), "0.0.73", load=3.5)

    assert text.startswith(START)
    assert text.endswith(END)
    assert "| Build time | 20.0 s | 9.5 s |" in text
    assert "| HTML pages | 4 | 2 |" in text
    assert "| … whose proof is pending | 0 | 2 |" in text
    assert "Pages MkDocs built and Zensical did not: 2, by folder: `source/` 2." in text
    assert "Problems Zensical reported: 3 (page does not exist: 2; something else: 1)." in text
    assert "zensical 0.0.73" in text
    assert "load average before the builds: 3.50" in text


def test_a_report_with_nothing_missing_says_so_plainly() -> None:
    same = Build(1.0, figures("index.html"))

    text = report(same, same, [], "1.0.0")

    assert "Pages MkDocs built and Zensical did not: 0." in text
    assert "Problems Zensical reported: 0." in text


def test_the_report_replaces_only_the_text_between_the_markers(tmp_path: Path) -> None:
    record = tmp_path / "record.md"
    record.write_text(f"# Title\n\n{START}\nold\n{END}\n\nAfter.\n", encoding="utf-8")

    write_report(record, f"{START}\nnew\n{END}")

    assert record.read_text(encoding="utf-8") == f"# Title\n\n{START}\nnew\n{END}\n\nAfter.\n"


def test_the_record_the_session_writes_has_its_markers() -> None:
    text = (repository_root() / RECORD).read_text(encoding="utf-8")

    assert text.index(START) < text.index(END)


def test_the_trial_configuration_builds_leniently_beside_the_original(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: X\ndocs_dir: docs\nstrict: true\nnav:\n  - Home: index.md\n",
        encoding="utf-8",
    )

    config = trial_config(tmp_path, tmp_path / "out")

    text = config.read_text(encoding="utf-8")
    assert config.parent == tmp_path
    assert "strict: false" in text
    assert "strict: true" not in text
    assert "docs_dir: docs" in text
    assert text.rstrip().endswith(f"site_dir: {tmp_path / 'out'}")


def test_the_real_configuration_is_strict_for_the_trial_to_relax() -> None:
    lines = (repository_root() / "mkdocs.yml").read_text(encoding="utf-8").splitlines()

    assert "strict: true" in lines
