"""The navigation follows the home page's reading order (``handbook.reading_order``)."""

from __future__ import annotations

from handbook.problems import Problem
from handbook.reading_order import order_problems, recommended

HOME = """# Home

Read [the roadmap](roadmap.md) some day.

## How to read this handbook

- Start with [the overview](architecture/overview.md#layers).
- Then [the domain](layers/domain.md), and [the overview](architecture/overview.md) again.
- Then [the decisions](decisions/index.md).

## Elsewhere

- [Contributing](contributing.md)
"""


def test_the_recommended_pages_are_the_links_of_that_section_in_order() -> None:
    assert recommended(HOME) == [
        (7, "architecture/overview.md"),
        (8, "layers/domain.md"),
        (9, "decisions/index.md"),
    ]


def test_links_of_a_home_page_in_a_folder_are_relative_to_it() -> None:
    assert recommended("## How to read this handbook\n[a](../b/c.md)\n", "x/index.md") == [
        (2, "b/c.md")
    ]


def test_a_navigation_in_that_order_has_no_problem() -> None:
    nav = ["index.md", "architecture/overview.md", "x.md", "layers/domain.md", "decisions/index.md"]

    assert order_problems("docs/index.md", recommended(HOME), nav) == []


def test_a_page_listed_too_early_or_missing_is_named_where_the_home_page_links_it() -> None:
    nav = ["index.md", "layers/domain.md", "architecture/overview.md"]

    problems = order_problems("docs/index.md", recommended(HOME), nav)

    assert problems == [
        Problem(
            "docs/index.md",
            8,
            "the nav lists layers/domain.md before architecture/overview.md, so 'next' "
            "would not follow the order recommended here",
        ),
        Problem("docs/index.md", 9, "decisions/index.md is recommended but not in the nav"),
    ]
