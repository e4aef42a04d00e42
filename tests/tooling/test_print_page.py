"""The print page's links lead somewhere (``handbook.print_page``, ADR 93).

mkdocs-print-site-plugin turns every link between pages into an anchor of its one page;
the repair turns each anchor the page lacks back into a link to the site's page. Tested
on the minimal handbook built with both plugins: the proof under its listings links tests
on source pages, which the print page does not hold, and ``handbook check-site`` must then
find no broken link or anchor anywhere in the site.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from handbook.print_page import PrintLinksPlugin, page_key, repair_links
from handbook.site_check import check_site

Writer = Callable[[Path, Mapping[str, str]], Path]

PRINTED = """\
  - handbook
  - autorefs
  - handbook-print
  - print-site:
      add_to_navigation: true
      add_cover_page: false
"""


def test_a_page_key_is_its_url_as_print_site_makes_it() -> None:
    assert page_key("") == "index"
    assert page_key("layers/domain/") == "layers-domain"
    assert page_key("Source/README.md.html") == "source-readme.md"


def test_a_cross_reference_to_what_no_page_documents_is_text_as_on_the_site() -> None:
    page = (
        "<section class='print-page' id='section-2'><a href='#section-2'>kept</a>"
        '<a class="autorefs autorefs-internal" title="typing.Annotated" '
        'href="#typing.Annotated">Annotated</a> '
        '<a class="autorefs autorefs-internal" href="#bool">bool</a> '
        '<a class="autorefs autorefs-internal" href="#ref-a.B">B</a></section>'
    )

    repaired, unknown = repair_links(page, {"ref": "ref/"}, "../")

    assert repaired == (
        "<section class='print-page' id='section-2'><a href='#section-2'>kept</a>"
        '<span title="typing.Annotated">Annotated</span> '
        '<span title="bool">bool</span> '
        '<a class="autorefs autorefs-internal" href="../ref/#a.B">B</a></section>'
    )
    assert unknown == []


def test_only_anchors_the_page_lacks_become_links_to_the_site() -> None:
    page = (
        '<section id="index"><h2 id="index-intro">Intro</h2>'
        '<a href="#index-intro">kept</a> <a href="#index">kept</a> '
        '<a href="#source-a.py-__codelineno-0-4">line</a> '
        '<a href="#source-a.py-b-Name">longest key</a> '
        '<a href="#source-a.py">page</a> <a href="#nowhere">unknown</a></section>'
    )
    pages = {"index": "", "source-a.py": "source/a.py/", "source-a.py-b": "source/a.py/b/"}

    repaired, unknown = repair_links(page, pages, "../")

    assert re.findall(r'href="([^"]+)"', repaired) == [
        "#index-intro",
        "#index",
        "../source/a.py/#__codelineno-0-4",
        "../source/a.py/b/#Name",
        "../source/a.py/",
        "#nowhere",
    ]
    assert unknown == ["nowhere"]


def test_every_link_of_the_built_print_page_leads_somewhere(
    proved_repo: Path, write: Writer
) -> None:
    config_file = proved_repo / "mkdocs.yml"
    configured = config_file.read_text(encoding="utf-8").replace("  - handbook\n", PRINTED)
    write(proved_repo, {"mkdocs.yml": configured})

    build(load_config(str(config_file)))

    site = proved_repo / "site"
    printed = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    assert 'href="../source/tests/test_money.py/#__codelineno-0-' in printed
    assert "See the tests" in printed
    assert check_site(site) == []


def test_an_anchor_no_page_begins_is_a_warning_and_no_print_site_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = tmp_path / "print_page" / "index.html"
    page.parent.mkdir()
    page.write_text('<a href="#nowhere">x</a><a href="#a-b">y</a>', encoding="utf-8")
    print_file = SimpleNamespace(url="print_page/", dest_uri="print_page/index.html")
    printer = SimpleNamespace(config={"enabled": True}, print_page=SimpleNamespace(file=print_file))
    repair = PrintLinksPlugin()
    repair.pages = {"a": "a/"}

    repair.on_post_build(config=SimpleNamespace(plugins={}, site_dir=str(tmp_path)))  # type: ignore[arg-type]
    untouched = page.read_text(encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.handbook"):
        repair.on_post_build(
            config=SimpleNamespace(plugins={"print-site": printer}, site_dir=str(tmp_path))  # type: ignore[arg-type]
        )

    assert untouched == '<a href="#nowhere">x</a><a href="#a-b">y</a>'
    assert page.read_text(encoding="utf-8") == '<a href="#nowhere">x</a><a href="../a/#b">y</a>'
    assert [record.getMessage() for record in caplog.records] == [
        "print page: a link to #nowhere, which no page of the site is"
    ]
