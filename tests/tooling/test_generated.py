"""The ``generated`` directive: a page's text returned by a function during the build."""

from __future__ import annotations

import markdown
import pytest

from handbook.generated import generate_markdown
from handbook.pages import current_page

MODULE = "tests.tooling.generated_text"


def test_the_function_named_returns_the_lines() -> None:
    assert generate_markdown(f"{MODULE}:two_lines")[0] == "## Made by code"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (MODULE, "write 'module:function'"),
        (f"{MODULE}:not_lines", "did not return a list of lines"),
    ],
)
def test_a_bad_target_is_named(target: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_markdown(target)


def test_the_directive_renders_the_lines_and_a_refusal_fails_the_page(
    caplog: pytest.LogCaptureFixture,
) -> None:
    converter = markdown.Markdown(
        extensions=["handbook.listing", "pymdownx.superfences", "toc"],
        extension_configs={"handbook.listing": {"root": "."}},
    )
    token = current_page.set("docs/guide.md")
    try:
        html = converter.convert(
            f"# Guide\n\n/// generated | {MODULE}:two_lines\n///\n\n"
            f"/// generated | {MODULE}:refuses\n///\n"
        )
    finally:
        current_page.reset(token)

    assert '<h2 id="made-by-code">Made by code</h2>' in html
    assert "<p>Every word of this was returned by a function.</p>" in html
    assert [record.getMessage() for record in caplog.records] == [
        "docs/guide.md:6: cannot generate the text: LookupError:"
        " no cause and fix written for: 'new-error'"
    ]
