"""The Markdown extension: directives rendered into HTML, problems logged at ``page:line``.

Pages are rendered with Python-Markdown and the extensions the site uses, against a
temporary repository and a proof document written by hand in :func:`build_proof`'s format.
"""

from __future__ import annotations

import logging
import re
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import markdown
import pytest

from handbook.pages import current_page

pytestmark = pytest.mark.usefixtures("on_page")  # as the MkDocs plugin names each page

ProofWriter = Callable[[Path, list[dict[str, Any]], Mapping[str, Mapping[str, Any]]], Path]
Writer = Callable[[Path, Mapping[str, str]], Path]

MONEY = textwrap.dedent(
    '''\
    """Money."""


    # --8<-- [start:add]
    def add(a: int, b: int) -> int:
        """Add two amounts."""
        total = a + b  # (1)!
        return total
    # --8<-- [end:add]


    # --8<-- [start:negate]
    def negate(a: int) -> int:
        # --8<-- [start:sign]
        sign = -1
        # --8<-- [end:sign]
        return sign * a
    # --8<-- [end:negate]
    '''
)

TESTS = [
    {"kind": "import", "id": "tests/test_money.py", "path": "tests/test_money.py", "line": 1},
    {
        "kind": "test",
        "id": "tests/test_money.py::test_add",
        "path": "tests/test_money.py",
        "line": 4,
    },
    {
        "kind": "test",
        "id": "tests/test_money.py::test_total",
        "path": "tests/test_money.py",
        "line": 9,
    },
]
STATEMENTS = [5, 7, 8, 13, 15, 17]
ALL_RAN = {5: [0], 7: [1, 2], 8: [1], 13: [0], 15: [2], 17: [2]}


@pytest.fixture
def root(tmp_path: Path, write: Writer, write_proof: ProofWriter) -> Path:
    root = write(
        tmp_path / "repo",
        {
            "snippets/demo/money.py": MONEY,
            "snippets/demo/settings.toml": "# --8<-- [start:s]\n[demo]\nx = 1\n# --8<-- [end:s]\n",
            "CONTRIBUTING.md": (
                "# Contributing\n\n"
                "Run the tests.\n\n"
                "/// listing | snippets/demo/money.py#nope\n"
                "///\n"
            ),
            "examples/demo/pyproject.toml": (
                '[tool.hatch.build.targets.wheel.force-include]\n"../../snippets/demo" = "demo"\n'
            ),
            "examples/demo/tests/test_demo.py": "",
        },
    )
    write_proof(
        root, TESTS, {"snippets/demo/money.py": {"statements": STATEMENTS, "lines": ALL_RAN}}
    )
    return root


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
    caplog.set_level(logging.WARNING, logger="mkdocs.handbook")

    def messages() -> list[str]:
        return [
            record.getMessage()
            for record in caplog.records
            if record.name == "mkdocs.handbook" and record.levelno == logging.WARNING
        ]

    return messages


def render(root: Path, page: str, *extra: str) -> str:
    md = markdown.Markdown(
        extensions=[
            "handbook.listing",
            "pymdownx.superfences",
            "pymdownx.highlight",
            "attr_list",
            "md_in_html",
            *extra,
        ],
        extension_configs={
            "handbook.listing": {"root": str(root), "proof": ".handbook/proof.json"}
        },
    )
    return md.convert(textwrap.dedent(page))


def test_a_listing_with_its_title_and_proof(root: Path, warnings: Callable[[], list[str]]) -> None:
    html = render(
        root,
        """\
        # Page

        /// listing | snippets/demo/money.py#add
        title: Adding amounts
        ///
        """,
    )

    assert warnings() == []
    assert (
        '<div class="listing" data-source="snippets/demo/money.py" data-region="add" '
        'data-tests="2">' in html
    )
    assert (
        '<p class="listing-title" title="The whole file">'
        '<a href="/source/snippets/demo/money.py.md">Adding amounts</a></p>'
    ) in html
    assert (
        '<details class="listing-proof" data-search-exclude>'
        "<summary>Executed by 2 tests</summary>" in html
    )
    assert (
        "<li><code>tests/test_money.py</code>: "
        '<a href="/source/tests/test_money.py.md#__codelineno-0-4"><code>test_add</code></a>, '
        '<a href="/source/tests/test_money.py.md#__codelineno-0-9"><code>test_total</code></a>'
        "</li>"
    ) in html
    assert (
        '<li>definitions executed when imported by <a href="/source/tests/test_money.py.md">'
        "<code>tests/test_money.py</code></a></li>"
    ) in html
    assert "(1)" not in html  # no annotations on the page: the marker is stripped
    assert (
        '<p class="listing-links" data-search-exclude>'
        '<a href="/source/tests/test_money.py.md">See the tests</a> '
        "in <code>tests/test_money.py</code></p>"
    ) in html  # the title links to the whole file already
    assert html.count("</div>") == html.count("<div")


def test_an_empty_title_names_the_file(root: Path) -> None:
    html = render(root, "/// listing | snippets/demo/money.py#add\ntitle:\n///\n")

    assert '<a href="/source/snippets/demo/money.py.md">snippets/demo/money.py</a>' in html


def test_no_title_no_title_link(root: Path) -> None:
    html = render(root, "/// listing | snippets/demo/money.py#add\n///\n")

    assert "listing-title" not in html
    assert (
        '<p class="listing-links" data-search-exclude>'
        '<a href="/source/snippets/demo/money.py.md">View the whole file</a> \N{MIDDLE DOT} '
        '<a href="/source/tests/test_money.py.md">See the tests</a>'
    ) in html


def test_the_tests_linked_are_the_file_with_most_of_them(
    root: Path, write_proof: ProofWriter
) -> None:
    tests = [
        *TESTS,
        {"kind": "test", "id": "tests/a/test_z.py::test_z", "path": "tests/a/test_z.py", "line": 1},
        {"kind": "test", "id": "tests/b/test_y.py::test_y", "path": "tests/b/test_y.py", "line": 1},
        {"kind": "test", "id": "tests/b/test_y.py::test_w", "path": "tests/b/test_y.py", "line": 5},
    ]
    lines = {5: [0], 7: [3, 4, 5, 1, 2], 8: [1], 13: [0], 15: [2], 17: [2]}
    write_proof(root, tests, {"snippets/demo/money.py": {"statements": STATEMENTS, "lines": lines}})

    html = render(root, "/// listing | snippets/demo/money.py#add\ntitle:\n///\n")

    # Two in tests/b/test_y.py and in tests/test_money.py: the first by path wins.
    assert '<a href="/source/tests/b/test_y.py.md">See the tests</a>' in html


def test_annotations_are_kept_when_the_body_has_an_ordered_list(
    root: Path, warnings: Callable[[], list[str]]
) -> None:
    html = render(
        root,
        """\
        /// listing | snippets/demo/money.py#add

        1.  The sum of both amounts.
        ///
        """,
    )

    assert warnings() == []
    assert '<span class="c1"># (1)!</span>' in html
    assert "<ol>\n<li>The sum of both amounts.</li>\n</ol>" in html
    assert html.index("# (1)!") < html.index("<ol>") < html.index("listing-proof")


def test_annotation_count_mismatch(root: Path, warnings: Callable[[], list[str]]) -> None:
    html = render(
        root,
        """\
        # Page

        /// listing | snippets/demo/money.py#add

        1.  The sum.
        2.  There is no second marker.
        ///
        """,
    )

    assert warnings() == [
        "docs/page.md:3: the page gives 2 annotation(s) but the code of "
        "snippets/demo/money.py#add has 1 marker(s)"
    ]
    assert '<div class="listing-broken"><p>This listing cannot be shown:</p>' in html


def test_highlight_and_elide(root: Path) -> None:
    highlighted = render(
        root, "/// listing | snippets/demo/money.py#negate\nhighlight: sign\n///\n"
    )
    elided = render(root, "/// listing | snippets/demo/money.py#negate\nelide: sign\n///\n")

    assert '<span class="hll">    <span class="n">sign</span>' in highlighted
    assert 'data-tests="1" data-elided="true">' in elided
    assert '\n    <span class="o">...</span>\n' in elided
    assert 'sign</span> <span class="o">=</span>' not in elided


def test_a_configuration_listing_needs_no_proof(
    root: Path, warnings: Callable[[], list[str]]
) -> None:
    html = render(root, "/// listing | snippets/demo/settings.toml#s\n///\n")

    assert warnings() == []
    assert 'data-source="snippets/demo/settings.toml" data-region="s" data-tests="0"' in html
    assert '<p class="listing-proof listing-proof--config">Shown from this repository' in html
    assert "<details" not in html


def test_a_listing_inside_a_content_tab(root: Path) -> None:
    html = render(
        root,
        """\
        === "Code"

            /// listing | snippets/demo/money.py#add
            title: In a tab
            ///

        === "Other"

            Text.
        """,
        "pymdownx.tabbed",
    )

    first_tab = html[html.index('<div class="tabbed-content">') : html.index('id="__tabbed_1_2"')]
    assert 'class="listing" data-source="snippets/demo/money.py"' in first_tab
    assert '<span class="n">total</span>' in first_tab
    assert "Executed by 2 tests" in first_tab


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "# Page\n\n/// listing | snippets/demo/money.py#nope\n///\n",
            "docs/page.md:3: no region 'nope' in snippets/demo/money.py (regions there: add, "
            "negate, sign)",
        ),
        (
            "# Page\n\n/// listing | snippets/demo/gone.py#add\n///\n",
            "docs/page.md:3: no file 'snippets/demo/gone.py'",
        ),
        (
            "# Page\n\n/// listing | snippets/demo/money.py#add\nhilight: total\n///\n",
            "docs/page.md:4: unknown option 'hilight' for '/// listing' "
            "(known: elide, highlight, lang, title)",
        ),
        (
            "# Page\n\n/// listing | snippets/demo/money.py#add\n",
            "docs/page.md:3: '/// listing' is never closed by '///'",
        ),
    ],
    ids=["missing-region", "missing-file", "unknown-option", "never-closed"],
)
def test_problems_are_logged_at_page_line(
    root: Path, warnings: Callable[[], list[str]], page: str, expected: str
) -> None:
    render(root, page)

    assert warnings() == [expected]


def test_an_unrun_shown_line_is_logged_at_the_snippet_line_naming_the_page(
    root: Path, warnings: Callable[[], list[str]], write_proof: ProofWriter
) -> None:
    lines = {line: refs for line, refs in ALL_RAN.items() if line != 17}
    write_proof(root, TESTS, {"snippets/demo/money.py": {"statements": STATEMENTS, "lines": lines}})

    html = render(root, "# Page\n\n\n/// listing | snippets/demo/money.py#negate\n///\n")

    assert warnings() == [
        "snippets/demo/money.py:17: shown on docs/page.md:4 (snippets/demo/money.py#negate) "
        "but no test executed it"
    ]
    # The code still shows (so `serve` shows an edit at once), with the gap where the proof goes.
    assert 'data-region="negate" data-tests="1"' in html
    assert '<p class="listing-proof listing-proof--pending">Not proven: line(s) 17 ran' in html
    assert "listing-broken" not in html


def test_a_listing_whose_proof_names_nothing_is_logged_at_the_page_line(
    root: Path, warnings: Callable[[], list[str]], write_proof: ProofWriter
) -> None:
    # Line 15 ran, but only under no one's name (pytest's own start-up, say).
    lines = {**ALL_RAN, 15: [-1]}
    write_proof(root, TESTS, {"snippets/demo/money.py": {"statements": STATEMENTS, "lines": lines}})

    html = render(root, "# Page\n\n/// listing | snippets/demo/money.py#sign\n///\n")

    assert warnings() == [
        "docs/page.md:3: the listing's proof names nothing (snippets/demo/money.py#sign): "
        "no test executed its lines, and they declare nothing a test could use"
    ]
    assert '<p class="listing-proof listing-proof--pending">Not proven: no test executed' in html


def test_lines_that_ran_at_import_only_are_proven_by_the_users_of_what_they_declare(
    root: Path, warnings: Callable[[], list[str]], write_proof: ProofWriter
) -> None:
    # Line 15 ran only when imported (so the document says); the rest of the function it
    # belongs to ran in test_total. (A declaration no test ran has its users recorded.)
    lines = {**ALL_RAN, 15: [0]}
    declarations = [["add", 5, 8], ["negate", 13, 17]]
    write_proof(
        root,
        TESTS,
        {
            "snippets/demo/money.py": {
                "statements": STATEMENTS,
                "lines": lines,
                "declarations": declarations,
            }
        },
    )

    html = render(root, "# Page\n\n/// listing | snippets/demo/money.py#sign\n///\n")

    assert warnings() == []
    assert 'data-region="sign" data-tests="0"' in html
    assert "<summary>Declarations used by 1 test</summary>" in html
    assert (
        "<p>These lines run when their module is imported. The tests that exercised "
        "<code>negate</code> (ran their code, or code that names them):</p>"
    ) in html
    assert (
        "<li><code>tests/test_money.py</code>: "
        '<a href="/source/tests/test_money.py.md#__codelineno-0-9"><code>test_total</code></a>'
        "</li>"
    ) in html
    assert "definitions executed when imported by" in html


def test_a_stale_proof(root: Path, warnings: Callable[[], list[str]]) -> None:
    source = root / "snippets" / "demo" / "money.py"
    source.write_text(MONEY.replace("total = a + b", "total = b + a"), encoding="utf-8")

    html = render(root, "/// listing | snippets/demo/money.py#add\n///\n")

    assert warnings() == [
        "docs/page.md:1: the proof of snippets/demo/money.py is stale: the file changed after "
        "the tests ran (nox -s docs runs them again)"
    ]
    assert "total = b + a" in re.sub(r"<[^>]+>", "", html)  # the edit shows at once
    assert "Proof pending: this file changed after the tests last ran." in html


def test_no_proof(root: Path, warnings: Callable[[], list[str]]) -> None:
    (root / ".handbook" / "proof.json").unlink()

    render(root, "/// listing | snippets/demo/money.py#add\n///\n")

    assert warnings() == [
        f"docs/page.md:1: no proof at {root.resolve()}/.handbook/proof.json: "
        "run the tests (nox -s docs)"
    ]


def test_a_python_file_outside_the_measured_code(
    root: Path, warnings: Callable[[], list[str]], write: Writer
) -> None:
    write(root, {"tools/x.py": "# --8<-- [start:x]\nX = 1\n# --8<-- [end:x]\n"})

    render(root, "/// listing | tools/x.py#x\n///\n")

    assert warnings() == [
        "docs/page.md:1: tools/x.py is outside the measured code ([tool.handbook] measured)"
    ]


def test_a_tree_of_an_example(root: Path, warnings: Callable[[], list[str]]) -> None:
    html = render(root, "/// tree | examples/demo\ntitle: Layout\n///\n")

    assert warnings() == []
    assert '<span class="filename">Layout</span>' in html
    assert (
        "demo/\n"
        "├── src/\n"
        "│   └── demo/\n"
        "│       ├── money.py\n"
        "│       └── settings.toml\n"
        "├── tests/\n"
        "│   └── test_demo.py\n"
        "└── pyproject.toml\n"
    ) in html


def test_an_include_renders_the_file_and_locates_its_problems_there(
    root: Path, warnings: Callable[[], list[str]]
) -> None:
    html = render(
        root, "# Page\n\n/// include | CONTRIBUTING.md\n///\n\n/// include | NO.md\n///\n"
    )

    assert "<h1>Contributing</h1>" in html
    assert "<p>Run the tests.</p>" in html
    assert warnings() == [
        "CONTRIBUTING.md:5: no region 'nope' in snippets/demo/money.py "
        "(regions there: add, negate, sign)",
        "docs/page.md:6: no Markdown file 'NO.md'",
    ]


def test_a_page_nobody_named(root: Path, warnings: Callable[[], list[str]]) -> None:
    token = current_page.set(None)
    try:
        render(root, "/// listing | snippets/demo/money.py#nope\n///\n")
    finally:
        current_page.reset(token)

    assert warnings() == [
        "<page>:1: no region 'nope' in snippets/demo/money.py (regions there: add, negate, sign)"
    ]


def test_a_page_without_directives_is_left_alone(root: Path) -> None:
    assert render(root, "# Title\n\nText.\n") == "<h1>Title</h1>\n<p>Text.</p>"


def test_a_file_that_includes_itself_is_refused_not_recursed(
    root: Path, warnings: Callable[[], list[str]]
) -> None:
    (root / "LOOP.md").write_text("# Loop\n\n/// include | LOOP.md\n///\n", encoding="utf-8")

    render(root, "/// include | LOOP.md\n///\n")

    assert warnings() == ["LOOP.md:3: LOOP.md includes itself"]


def test_a_parametrized_test_is_named_once_with_its_runs(
    root: Path, write_proof: ProofWriter
) -> None:
    tests = [
        {
            "kind": "test",
            "id": f"tests/test_money.py::test_add[{db}]",
            "path": "tests/test_money.py",
            "line": 4,
        }
        for db in ("sqlite", "postgresql")
    ]
    write_proof(
        root,
        tests,
        {
            "snippets/demo/money.py": {
                "statements": STATEMENTS,
                "lines": {str(line): [0, 1] for line in STATEMENTS},
            }
        },
    )

    html = render(root, "/// listing | snippets/demo/money.py#add\n///\n")

    assert "<summary>Executed by 2 tests</summary>" in html
    assert (
        "<li><code>tests/test_money.py</code>: "
        '<a href="/source/tests/test_money.py.md#__codelineno-0-4"><code>test_add</code></a>'
        " \N{MULTIPLICATION SIGN}2</li>"
    ) in html


def run_every_line_under(root: Path, write_proof: ProofWriter, tests: list[dict[str, Any]]) -> None:
    """Write a proof in which every test ran every line of ``snippets/demo/money.py``."""
    write_proof(
        root,
        tests,
        {
            "snippets/demo/money.py": {
                "statements": STATEMENTS,
                "lines": {str(line): list(range(len(tests))) for line in STATEMENTS},
            }
        },
    )


def test_a_file_names_its_first_tests_and_counts_the_rest(
    root: Path, write_proof: ProofWriter
) -> None:
    names = ["test_a", "test_b", "test_c", "test_d", "test_e"]
    tests = [
        {
            "kind": "test",
            "id": f"tests/test_money.py::{name}",
            "path": "tests/test_money.py",
            "line": 10 + number,
        }
        for number, name in enumerate(names)
    ]
    run_every_line_under(root, write_proof, tests)

    html = render(root, "/// listing | snippets/demo/money.py#add\n///\n")

    assert "<summary>Executed by 5 tests</summary>" in html
    assert (
        "<li><code>tests/test_money.py</code>: "
        '<a href="/source/tests/test_money.py.md#__codelineno-0-10"><code>test_a</code></a>, '
        '<a href="/source/tests/test_money.py.md#__codelineno-0-11"><code>test_b</code></a>, '
        '<a href="/source/tests/test_money.py.md#__codelineno-0-12"><code>test_c</code></a>'
        ' and <a href="/source/tests/test_money.py.md">2 more</a></li>'
    ) in html
    assert "test_d" not in html


def test_a_proof_lists_the_files_with_most_tests_first_and_counts_the_others(
    root: Path, write_proof: ProofWriter
) -> None:
    # File number n holds n + 1 tests, so the last files hold the most.
    tests = [
        {
            "kind": "test",
            "id": f"tests/test_{number:02}.py::test_{case}",
            "path": f"tests/test_{number:02}.py",
            "line": case + 1,
        }
        for number in range(12)
        for case in range(number + 1)
    ]
    run_every_line_under(root, write_proof, tests)

    html = render(root, "/// listing | snippets/demo/money.py#add\n///\n")

    listed = re.findall(r"<li><code>(tests/test_\d+\.py)</code>", html)
    assert listed == [f"tests/test_{number:02}.py" for number in range(11, 1, -1)]
    assert "<li>and 3 more tests in 2 more files</li>" in html
    assert "<summary>Executed by 78 tests</summary>" in html
