"""Decision records grouped by topic, with their status (``handbook.decisions``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import Section, get_navigation
from mkdocs.structure.pages import Page

from handbook.decisions import (
    UNFILED,
    by_topic,
    group_navigation,
    index_markdown,
    parse_decision,
    read_decisions,
)
from handbook.directives import find_directives
from handbook.rebuild import page_inputs

RECORD = """# 30. Publish with `mike` | versions

- Status: Superseded by [ADR 31](0031-later.md)
- Date: 2026-11-30
- Topic: The site

## Context and problem statement

- Status: Accepted (prose, not the record's status)
"""


def test_a_record_says_its_number_title_status_and_topic_in_its_first_lines() -> None:
    decision = parse_decision("0030-publish.md", RECORD)

    assert (decision.number, decision.title) == (30, "Publish with `mike` | versions")
    assert decision.status == "Superseded by [ADR 31](0031-later.md)"
    assert (decision.state, decision.topic, decision.settled) == ("superseded", "The site", False)
    assert decision.nav_title == "30. Superseded: Publish with mike | versions"


def test_an_accepted_record_is_titled_without_its_status_and_missing_lines_have_defaults() -> None:
    accepted = parse_decision("0001-a.md", "# 1. Record decisions\n\n- Status: Accepted\n")
    bare = parse_decision("0002-b.md", "no heading at all\n")

    assert accepted.nav_title == "1. Record decisions"
    assert (bare.title, bare.status, bare.state, bare.topic) == (
        "0002-b.md",
        "Unknown",
        "unknown",
        UNFILED,
    )


def test_a_file_that_is_no_record_is_refused() -> None:
    with pytest.raises(ValueError, match="not a decision record"):
        parse_decision("index.md", RECORD)


def _records(folder: Path) -> Path:
    folder.mkdir(parents=True)
    records = {
        "0001-first.md": "# 1. First\n\n- Status: Accepted\n- Topic: Tooling\n",
        "0002-second.md": "# 2. Second\n\n- Status: Proposed\n- Topic: Architecture\n",
        "0003-third.md": "# 3. Third\n\n- Status: Accepted\n",
        "0004-fourth.md": "# 4. Fourth\n\n- Status: Accepted\n- Topic: Tooling\n",
        "index.md": "# Decisions\n\n/// decisions | docs/decisions\n///\n",
    }
    for name, text in records.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_topics_come_in_the_order_of_their_first_record_and_the_unfiled_last(
    tmp_path: Path,
) -> None:
    decisions = read_decisions(_records(tmp_path / "adr"))

    groups = {topic: [d.number for d in members] for topic, members in by_topic(decisions).items()}

    assert groups == {"Tooling": [1, 4], "Architecture": [2], UNFILED: [3]}


def test_the_index_is_a_table_per_topic_with_each_status_as_written(tmp_path: Path) -> None:
    decisions = read_decisions(_records(tmp_path / "adr"))

    lines = index_markdown(decisions)

    assert lines[:6] == [
        "## Tooling",
        "",
        "| # | Decision | Status |",
        "|---:|---|---|",
        "| 1 | [First](0001-first.md) | Accepted |",
        "| 4 | [Fourth](0004-fourth.md) | Accepted |",
    ]
    assert "| 2 | [Second](0002-second.md) | Proposed |" in lines
    assert lines[-2] == "4 records: 3 accepted, 1 proposed."


def test_a_record_title_with_a_pipe_keeps_the_table_whole() -> None:
    lines = index_markdown([parse_decision("0030-publish.md", RECORD)])

    assert "| 30 | [Publish with `mike` &#124; versions](0030-publish.md) |" in lines[4]


def test_the_index_page_is_rebuilt_when_any_record_changes(tmp_path: Path) -> None:
    folder = _records(tmp_path / "docs" / "decisions")
    index = folder / "index.md"
    directives, problems = find_directives("index.md", index.read_text().splitlines())

    inputs = page_inputs(tmp_path, index, [], tmp_path / "proof.json")

    assert (problems, [d.kind for d in directives]) == ([], ["decisions"])
    assert inputs.folders == frozenset({folder})


def _site(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    _records(docs / "decisions")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "later.md").write_text("# Later\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nnav:\n  - index.md\n  - Decisions:\n      - decisions/index.md\n"
        + "".join(f"      - decisions/000{n}-{w}.md\n" for n, w in _WORDS)
        + "  - later.md\n",
        encoding="utf-8",
    )
    return config


_WORDS = [(1, "first"), (2, "second"), (3, "third"), (4, "fourth")]


def test_the_navigation_groups_the_records_by_topic_and_next_follows_the_groups(
    tmp_path: Path,
) -> None:
    config = load_config(str(_site(tmp_path)))
    nav = get_navigation(get_files(config), config)
    decisions = read_decisions(tmp_path / "docs" / "decisions")

    group_navigation(nav, decisions)

    holder = nav.items[1]
    assert isinstance(holder, Section)
    shape = [
        child.file.src_uri if isinstance(child, Page) else child.title for child in holder.children
    ]
    assert shape == ["decisions/index.md", "Tooling", "Architecture", UNFILED]
    tooling = holder.children[1]
    assert isinstance(tooling, Section)
    assert tooling.parent is holder
    assert all(page.parent is tooling for page in tooling.children)
    order = [page.file.src_uri for page in nav.pages]
    assert order == [
        "index.md",
        "decisions/index.md",
        "decisions/0001-first.md",
        "decisions/0004-fourth.md",
        "decisions/0002-second.md",
        "decisions/0003-third.md",
        "later.md",
    ]
    walked: list[str] = []
    page: Page | None = nav.pages[0]
    while page is not None:
        walked.append(page.file.src_uri)
        page = page.next_page
    assert walked == order
    assert nav.pages[0].previous_page is None
    assert nav.pages[3].previous_page is nav.pages[2]


def test_a_navigation_without_records_is_left_as_it_is(tmp_path: Path) -> None:
    config = load_config(str(_site(tmp_path)))
    nav = get_navigation(get_files(config), config)
    before = [page.file.src_uri for page in nav.pages]

    group_navigation(nav, [], folder="elsewhere")

    assert [page.file.src_uri for page in nav.pages] == before
