"""Page directives: what a page asks for, and every mistake in it located at ``page:line``."""

from __future__ import annotations

import textwrap

import pytest

from handbook.directives import (
    KNOWN_OPTIONS,
    Directive,
    FencedBlock,
    fenced_blocks,
    fenced_line_numbers,
    find_directives,
)

PAGE = "docs/page.md"
KNOWN_KINDS = ", ".join(sorted(KNOWN_OPTIONS))


def lines(text: str) -> list[str]:
    return textwrap.dedent(text).lstrip("\n").splitlines()


def problems_of(text: str) -> list[str]:
    _, problems = find_directives(PAGE, lines(text))
    return [str(problem) for problem in problems]


def test_options_then_body() -> None:
    page = """
        # Money

        /// listing | snippets/demo/money.py#add
        highlight: total, result
        title: Adding amounts

        1.  The sum.
        2.  What it returns.
        ///

        After.
        """

    directives, problems = find_directives(PAGE, lines(page))

    assert problems == []
    assert directives == [
        Directive(
            page=PAGE,
            line=3,
            end_line=9,
            indent="",
            kind="listing",
            argument="snippets/demo/money.py#add",
            options={"highlight": "total, result", "title": "Adding amounts"},
            body=("1.  The sum.", "2.  What it returns."),
        )
    ]
    assert directives[0].names("highlight") == ["total", "result"]
    assert directives[0].names("elide") == []
    assert directives[0].problem("x").line == 3


def test_no_options_no_body_and_an_empty_option_value() -> None:
    page = """
        /// listing | snippets/demo/money.py#add
        ///
        /// tree | examples/demo
        title:
        ///
        """

    directives, problems = find_directives(PAGE, lines(page))

    assert problems == []
    assert [(d.kind, d.line, d.end_line, d.options, d.body) for d in directives] == [
        ("listing", 1, 2, {}, ()),
        ("tree", 3, 5, {"title": ""}, ()),
    ]


def test_body_without_options() -> None:
    page = """
        /// listing | snippets/demo/money.py#add

        1.  The only annotation.

        ///
        """

    directives, _ = find_directives(PAGE, lines(page))

    assert directives[0].options == {}
    assert directives[0].body == ("1.  The only annotation.",)


def test_indented_inside_a_content_tab() -> None:
    page = """
        === "Code"

            /// listing | snippets/demo/money.py#add
            title: In a tab

            1.  An annotation,
                continued.
            ///

        === "Other"
        """

    directives, problems = find_directives(PAGE, lines(page))

    assert problems == []
    assert len(directives) == 1
    directive = directives[0]
    assert (directive.line, directive.end_line, directive.indent) == (3, 8, "    ")
    assert directive.options == {"title": "In a tab"}
    assert directive.body == ("1.  An annotation,", "    continued.")


def test_directives_inside_fenced_code_blocks_are_ignored() -> None:
    page = """
        How to write a listing:

        ```markdown
        /// listing | snippets/demo/money.py#add
        ///
        ```

        ~~~~text
        ```
        /// lisitng | not a directive
        ```
        ~~~~

        /// listing | snippets/demo/money.py#split
        ///
        """

    directives, problems = find_directives(PAGE, lines(page))

    assert problems == []
    assert [(d.argument, d.line) for d in directives] == [("snippets/demo/money.py#split", 14)]


def test_unknown_directive_kind() -> None:
    page = """
        # Page

        /// lisitng | snippets/demo/money.py#add
        ///

        /// listing | snippets/demo/money.py#split
        ///
        """

    directives, problems = find_directives(PAGE, lines(page))

    assert [str(p) for p in problems] == [
        f"docs/page.md:3: unknown directive 'lisitng' (known: {KNOWN_KINDS})"
    ]
    assert [d.line for d in directives] == [6]


def test_unknown_option_is_located_at_its_own_line() -> None:
    page = """
        # Page

        /// listing | snippets/demo/money.py#add
        title: Adding
        hilight: total
        ///
        """

    directives, problems = find_directives(PAGE, lines(page))

    assert [str(p) for p in problems] == [
        "docs/page.md:5: unknown option 'hilight' for '/// listing' "
        "(known: elide, highlight, lang, title)"
    ]
    assert directives[0].options == {"title": "Adding"}


def test_option_line_that_is_not_an_option() -> None:
    page = """
        /// tree | examples/demo
        Title Case: nope
        ///
        """

    assert problems_of(page) == ["docs/page.md:2: expected 'option: value', got 'Title Case: nope'"]


@pytest.mark.parametrize("opening", ["/// listing", "/// listing |", "/// listing |   "])
def test_missing_argument(opening: str) -> None:
    page = f"# Page\n\n{opening}\n///\n"

    directives, problems = find_directives(PAGE, page.splitlines())

    assert directives == []
    assert [str(p) for p in problems] == [
        "docs/page.md:3: '/// listing' needs an argument after '|'"
    ]


def test_never_closed() -> None:
    page = """
        # Page

        /// listing | snippets/demo/money.py#add
        title: Adding

        Some text, and the page ends.
        """

    directives, problems = find_directives(PAGE, lines(page))

    assert directives == []
    assert [str(p) for p in problems] == ["docs/page.md:3: '/// listing' is never closed by '///'"]


def test_a_lone_closing_line_is_not_a_directive() -> None:
    assert find_directives(PAGE, ["///", "text", "///"]) == ([], [])


def test_fenced_blocks_languages_and_bodies() -> None:
    page = lines(
        """
        ``` python title="x.py"
          x = 1
        ```
        ```{ .toml }
        a = 1
        ```
        ````
        ```
        ````
        ~~~ Console
        $ app
        """
    )

    assert fenced_blocks(page) == [
        FencedBlock(0, 2, "python", ("x = 1",)),
        FencedBlock(3, 5, "toml", ("a = 1",)),
        FencedBlock(6, 8, "", ("```",)),
        FencedBlock(9, 10, "console", ("$ app",)),
    ]
    assert fenced_line_numbers(page) == set(range(11))


def test_a_line_of_inline_code_with_backticks_is_not_a_fence() -> None:
    lines = ["Written as ```` ```mermaid ```` fences.", "", "```python", ">>> 1", "```"]

    blocks = fenced_blocks(lines)

    assert [(block.start, block.language) for block in blocks] == [(2, "python")]
