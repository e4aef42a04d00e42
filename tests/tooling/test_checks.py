"""Integrity checks: each fed a crafted bad input, each failing at ``file:line``."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from handbook.__main__ import main
from handbook.checks import (
    Settings,
    check_decisions,
    check_diagrams,
    check_fences,
    check_line_links,
    check_listings,
    check_regions,
    check_repository,
    pages,
)
from handbook.directives import Directive, find_directives

PAGE = "docs/page.md"
PASTED = (
    "show code with '/// listing | path#region' from a tested snippet, and produce output "
    "with a console session or doctest the tests run"
)
ProofWriter = Callable[[Path, list[dict[str, Any]], Mapping[str, Mapping[str, Any]]], Path]
Writer = Callable[[Path, Mapping[str, str]], Path]


def page_lines(text: str) -> list[str]:
    return textwrap.dedent(text).lstrip("\n").splitlines()


def fence_problems(text: str, console: tuple[str, ...] = ("app",)) -> list[str]:
    return [str(problem) for problem in check_fences(PAGE, page_lines(text), console)]


def settings_of(root: Path) -> Settings:
    return Settings.read(root)


def directives_of(root: Path) -> list[Directive]:
    found: list[Directive] = []
    for page in pages(settings_of(root)):
        directives, _ = find_directives(page, (root / page).read_text("utf-8").splitlines())
        found += directives
    return found


# --- check_line_links -----------------------------------------------------------------


def test_a_link_to_a_source_line_by_number_is_refused_where_it_is_written() -> None:
    page = (
        "See [the store](../source/tests/conftest.py.md#FakeDatabase).\n"
        "\n"
        "And [its commit](../source/tests/conftest.py.md#__codelineno-0-83).\n"
    )

    assert [str(problem) for problem in check_line_links(PAGE, page.splitlines())] == [
        f"{PAGE}:3: a link to a source line by number goes stale with the next edit above "
        "it; link to the class or function instead, e.g. 'source/PATH.md#ClassName.method'"
    ]


# --- check_fences: invariants 1 and 5 -------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "described"),
    [
        ("```python", "a pasted python block"),
        ("``` toml", "a pasted toml block"),
        ("```", "a pasted block"),
        ("~~~text", "a pasted text block"),
        ('```{ .yaml title="settings.yaml" }', "a pasted yaml block"),
        ("```pycon", "a pasted pycon block"),
    ],
)
def test_pasted_block_is_located_at_its_opening_fence(opening: str, described: str) -> None:
    closing = opening[:3]
    page = f"# Page\n\nSome prose.\n\n{opening}\nvalue = compute(1)\n{closing}\n"

    problems = [str(p) for p in check_fences(PAGE, page.splitlines(), ["app"])]

    assert problems == [f"docs/page.md:5: {described}: {PASTED}"]


def test_pasted_block_inside_a_tab_is_found() -> None:
    page = """
        === "Python"

            ```python
            def add(a, b):
                return a + b
            ```
        """

    assert fence_problems(page) == [f"docs/page.md:3: a pasted python block: {PASTED}"]


def test_accepted_blocks() -> None:
    page = """
        ```python
        >>> 1 + 1
        2
        ```

        ```mermaid
        graph LR
          a --> b
        ```

        ```bash
        nox -s docs
        ```

        ``` sh
        uv sync
        ```

        ```shell
        make
        ```

        ````markdown
        ```python
        pasted inside an example of Markdown syntax
        ```
        ````

        ```md
        /// listing | snippets/demo/money.py#add
        ///
        ```

        ```console
        $ app --help
        Usage: app
        $ app run
        ```
        """

    assert fence_problems(page) == []


def test_console_session_with_an_unregistered_command() -> None:
    page = """
        # Page

        ```console
        $ app --help
        Usage: app
        $ deploy --now
        $ LEVEL=high APP=app curl https://example.com
        $ LEVEL=high app run
        ```
        """

    assert fence_problems(page, ("app", "hello")) == [
        "docs/page.md:3: console session runs curl, deploy, which the tests cannot run "
        "(runnable: app, hello; register more under [tool.handbook.console]); "
        "use a 'bash' block for commands shown without their output"
    ]


def test_console_session_when_no_command_is_registered() -> None:
    page = "```console\n$ app\n```\n"

    assert [str(p) for p in check_fences(PAGE, page.splitlines(), [])] == [
        "docs/page.md:1: console session runs app, which the tests cannot run "
        "(runnable: none; register more under [tool.handbook.console]); "
        "use a 'bash' block for commands shown without their output"
    ]


@pytest.mark.parametrize(
    "body",
    ["Usage: app\n$ app --help", "", "$app --help", "> app"],
    ids=["output-first", "empty", "no-space", "other-prompt"],
)
def test_console_session_that_does_not_start_with_a_command(body: str) -> None:
    page = f"# Page\n\n```console\n{body}\n```\n" if body else "# Page\n\n```console\n```\n"

    assert [str(p) for p in check_fences(PAGE, page.splitlines(), ["app"])] == [
        "docs/page.md:3: a console session must start with a '$ command' line"
    ]


# --- settings and pages ---------------------------------------------------------------


def test_settings_defaults_and_configured(tmp_path: Path, write: Writer) -> None:
    write(tmp_path / "bare", {"pyproject.toml": "[project]\nname = 'x'\n"})
    write(
        tmp_path / "full",
        {
            "pyproject.toml": textwrap.dedent(
                """\
                [tool.handbook]
                docs-dir = "pages"
                page-dirs = ["pages", "adr"]
                page-files = ["CONTRIBUTING.md"]
                snippets-dir = "code"
                measured = ["code", "tests"]
                proof = "build/proof.json"

                [tool.handbook.console]
                app = "app.cli:main"
                """
            )
        },
    )

    assert Settings.read(tmp_path / "bare") == Settings(
        tmp_path / "bare",
        "docs",
        ("docs",),
        (),
        "snippets",
        ("snippets",),
        ".handbook/proof.json",
        {},
    )
    assert Settings.read(tmp_path / "full") == Settings(
        tmp_path / "full",
        "pages",
        ("pages", "adr"),
        ("CONTRIBUTING.md",),
        "code",
        ("code", "tests"),
        "build/proof.json",
        {"app": "app.cli:main"},
    )


def test_pages_are_found_once_whatever_the_working_directory(
    repo: Path, write: Writer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The handbook's own layout: docs/decisions is a symlink to the ADR folder, which is a
    # page folder of its own; configured through the symlink too, its pages still count once.
    write(
        repo,
        {"docs/guide/intro.md": "# Intro\n", "adr/0001-x.md": "# ADR\n", "CONTRIBUTING.md": "#\n"},
    )
    (repo / "docs" / "decisions").symlink_to(Path("..", "adr"), target_is_directory=True)
    settings = Settings(
        repo,
        "docs",
        ("docs", "adr", "docs/decisions"),
        ("CONTRIBUTING.md", "MISSING.md"),
        "snippets",
        ("snippets",),
        ".handbook/proof.json",
        {},
    )
    monkeypatch.chdir(tmp_path)

    assert pages(settings) == [
        "CONTRIBUTING.md",
        "adr/0001-x.md",
        "docs/guide/intro.md",
        "docs/index.md",
    ]


# --- check_regions: invariant 3 -------------------------------------------------------


def test_regions_all_shown_by_the_handbook(repo: Path) -> None:
    assert check_regions(settings_of(repo), directives_of(repo)) == []


def test_region_shown_on_no_page_is_located_at_its_start_marker(
    repo: Path, line_of: Callable[[Path, str], int]
) -> None:
    index = repo / "docs" / "index.md"
    index.write_text(
        index.read_text("utf-8").replace("/// listing | snippets/demo/rates.py#rate\n///\n", ""),
        encoding="utf-8",
    )
    start = line_of(repo / "snippets/demo/rates.py", "[start:rate]")

    problems = check_regions(settings_of(repo), directives_of(repo))

    assert [str(p) for p in problems] == [
        f"snippets/demo/rates.py:{start}: region 'rate' is shown on no page"
    ]


def test_a_highlighted_or_elided_sub_region_counts_as_shown(
    repo: Path, line_of: Callable[[Path, str], int]
) -> None:
    index = repo / "docs" / "index.md"
    text = index.read_text("utf-8")
    assert "highlight: uneven" in text

    highlighted = check_regions(settings_of(repo), directives_of(repo))
    index.write_text(text.replace("highlight: uneven", "elide: uneven"), encoding="utf-8")
    elided = check_regions(settings_of(repo), directives_of(repo))
    index.write_text(text.replace("highlight: uneven", "title:"), encoding="utf-8")
    neither = check_regions(settings_of(repo), directives_of(repo))

    assert highlighted == []
    assert elided == []
    assert [str(p) for p in neither] == [
        f"snippets/demo/money.py:{line_of(repo / 'snippets/demo/money.py', '[start:uneven]')}: "
        "region 'uneven' is shown on no page"
    ]


def test_pragma_no_cover_in_a_snippet(repo: Path, write: Writer) -> None:
    write(
        repo,
        {
            "snippets/demo/hidden.py": (
                "def hidden() -> int:\n"
                "    return 1\n"
                "\n"
                "\n"
                "def untested() -> int:  # pragma: no cover\n"
                "    return 2  #  Pragma:No Cover\n"
            ),
            "snippets/demo/notes.txt": "# pragma: no cover is only refused in Python\n",
        },
    )

    assert [str(p) for p in check_regions(settings_of(repo), directives_of(repo))] == [
        "snippets/demo/hidden.py:5: 'pragma: no cover' hides a line from the proof; test it",
        "snippets/demo/hidden.py:6: 'pragma: no cover' hides a line from the proof; test it",
    ]


def test_broken_markers_in_any_snippet_are_reported(repo: Path, write: Writer) -> None:
    write(
        repo,
        {
            "snippets/demo/config.yaml": "# --8<-- [start:conf]\nkey: 1\n# --8<-- [ned:conf]\n",
            "snippets/demo/blob.bin": "",
        },
    )
    (repo / "snippets/demo/blob.bin").write_bytes(b"\xff\xfe--8<--\x00")

    problems = [str(p) for p in check_regions(settings_of(repo), directives_of(repo))]

    assert problems == [
        "snippets/demo/config.yaml:1: region 'conf' is never closed (no '[end:conf]' marker)",
        "snippets/demo/config.yaml:3: malformed region marker '# --8<-- [ned:conf]'; "
        "write '# --8<-- [start:name]' or '# --8<-- [end:name]' "
        "(name: lowercase letters, digits, '-' and '_')",
    ]


def test_regions_of_a_file_outside_snippets_that_a_page_shows(repo: Path, write: Writer) -> None:
    pyproject = repo / "pyproject.toml"
    write(
        repo,
        {
            "pyproject.toml": "# --8<-- [start:shown]\n"
            + pyproject.read_text("utf-8")
            + "# --8<-- [end:shown]\n# --8<-- [start:forgotten]\n# --8<-- [end:forgotten]\n",
            "docs/config.md": "# Config\n\n/// listing | pyproject.toml#shown\n///\n",
        },
    )
    count = len(pyproject.read_text("utf-8").splitlines())

    problems = [str(p) for p in check_regions(settings_of(repo), directives_of(repo))]

    assert problems == [f"pyproject.toml:{count - 1}: region 'forgotten' is shown on no page"]


def test_a_region_marked_in_a_measured_test_is_checked_like_a_snippet(
    repo: Path, write: Writer
) -> None:
    pyproject = (repo / "pyproject.toml").read_text("utf-8")
    write(
        repo,
        {
            "pyproject.toml": pyproject.replace(
                'snippets-dir = "snippets"',
                'snippets-dir = "snippets"\nmeasured = ["snippets", "tests"]',
            ),
            "tests/test_fake.py": "# --8<-- [start:fake]\nFAKE = 1\n# --8<-- [end:fake]\n",
            "tests/data_only.py": 'TEXT = "# --8<-- [start:x] is how a region starts"\n',
        },
    )

    problems = [str(p) for p in check_regions(settings_of(repo), directives_of(repo))]

    assert problems == ["tests/test_fake.py:1: region 'fake' is shown on no page"]


# --- check_listings: invariants 2 and 3 -----------------------------------------------

ADD_PAGE = "# Page\n\n/// listing | snippets/demo/money.py#add\n///\n"


@pytest.fixture
def listed(repo: Path, write: Writer) -> Path:
    """The handbook with one page that shows ``money.py#add``.

    Its statements: line 3 (the ``__future__`` import), 7 (``def add``), 9 and 10 (the body).
    """
    (repo / "docs" / "index.md").unlink()
    return write(repo, {PAGE: ADD_PAGE})


def add_proof(root: Path, write_proof: ProofWriter, lines: Mapping[int, list[int]]) -> Path:
    tests = [
        {"kind": "import", "id": "tests/test_money.py", "path": "tests/test_money.py", "line": 1},
        {
            "kind": "test",
            "id": "tests/test_money.py::test_add",
            "path": "tests/test_money.py",
            "line": 4,
        },
    ]
    files = {"snippets/demo/money.py": {"statements": [3, 7, 9, 10], "lines": lines}}
    return write_proof(root, tests, files)


def listing_problems(root: Path, *, with_proof: bool = True) -> list[str]:
    settings = settings_of(root)
    lines = {page: (root / page).read_text("utf-8").splitlines() for page in pages(settings)}
    problems, _ = check_listings(settings, lines, with_proof=with_proof)
    return [str(problem) for problem in problems]


def test_listing_every_line_of_which_ran(listed: Path, write_proof: ProofWriter) -> None:
    add_proof(listed, write_proof, {7: [0], 9: [1], 10: [1]})

    assert listing_problems(listed) == []


def test_unrun_shown_line_is_located_in_the_snippet_and_names_the_page(
    listed: Path, write_proof: ProofWriter
) -> None:
    add_proof(listed, write_proof, {7: [0], 9: [1]})

    assert listing_problems(listed) == [
        "snippets/demo/money.py:10: shown on docs/page.md:3 (snippets/demo/money.py#add) "
        "but no test executed it"
    ]
    assert listing_problems(listed, with_proof=False) == []


def test_stale_proof(listed: Path, write_proof: ProofWriter) -> None:
    add_proof(listed, write_proof, {7: [0], 9: [1], 10: [1]})
    money = listed / "snippets" / "demo" / "money.py"
    money.write_text(money.read_text("utf-8").replace("total = a + b", "total = b + a"), "utf-8")

    assert listing_problems(listed) == [
        "docs/page.md:3: the proof of snippets/demo/money.py is stale: the file changed after "
        "the tests ran (nox -s docs runs them again)"
    ]


def test_no_proof(listed: Path) -> None:
    assert listing_problems(listed) == [
        "docs/page.md:3: no proof at .handbook/proof.json: run the tests (nox -s docs)"
    ]
    assert listing_problems(listed, with_proof=False) == []


def test_a_listing_outside_the_measured_code(
    listed: Path, write: Writer, write_proof: ProofWriter
) -> None:
    add_proof(listed, write_proof, {7: [0], 9: [1], 10: [1]})
    write(
        listed,
        {
            "tools/x.py": "# --8<-- [start:x]\nX = 1\n# --8<-- [end:x]\n",
            PAGE: ADD_PAGE + "\n/// listing | tools/x.py#x\n///\n",
        },
    )

    assert listing_problems(listed) == [
        "docs/page.md:6: tools/x.py is outside the measured code ([tool.handbook] measured)"
    ]


def test_a_listing_of_configuration_needs_no_proof(listed: Path, write: Writer) -> None:
    write(
        listed,
        {
            "config.toml": "# --8<-- [start:c]\n[tool]\nx = 1\n# --8<-- [end:c]\n",
            PAGE: "/// listing | config.toml#c\n///\n",
        },
    )

    assert listing_problems(listed) == []


def test_listing_and_directive_problems_are_located_on_the_page(
    listed: Path, write: Writer
) -> None:
    write(
        listed,
        {
            PAGE: (
                "# Page\n"
                "\n"
                "/// listing | snippets/demo/money.py#ad\n"
                "///\n"
                "\n"
                "/// listing | snippets/demo/money.py#add\n"
                "highlite: total\n"
                "///\n"
                "\n"
                "/// include | MISSING.md\n"
                "///\n"
            )
        },
    )

    assert listing_problems(listed, with_proof=False) == [
        "docs/page.md:7: unknown option 'highlite' for '/// listing' "
        "(known: elide, highlight, lang, title)",
        "docs/page.md:3: no region 'ad' in snippets/demo/money.py "
        "(regions there: add, split, uneven)",
        "docs/page.md:10: no file 'MISSING.md' to include",
    ]


# --- the whole check ------------------------------------------------------------------


def test_the_proven_handbook_passes(proved_repo: Path) -> None:
    assert check_repository(Settings.read(proved_repo)) == []


def test_check_repository_sorts_and_deduplicates(proved_repo: Path, write: Writer) -> None:
    write(
        proved_repo,
        {
            "docs/b.md": "```python\nx = 1\n```\n/// listing | snippets/demo/money.py#nope\n///\n",
            "docs/a.md": "/// listing | snippets/demo/open.py#o\n///\n```toml\n```\n",
            "snippets/demo/open.py": "# --8<-- [start:o]\nO = 1\n",
        },
    )
    regions = "(regions there: add, split, uneven)"

    # The unclosed region is found twice, resolving the listing and checking the regions.
    assert [str(p) for p in check_repository(Settings.read(proved_repo))] == [
        f"docs/a.md:3: a pasted toml block: {PASTED}",
        f"docs/b.md:1: a pasted python block: {PASTED}",
        f"docs/b.md:4: no region 'nope' in snippets/demo/money.py {regions}",
        "snippets/demo/open.py:1: region 'o' is never closed (no '[end:o]' marker)",
    ]


def test_the_cli_prints_file_line_problems_and_fails(
    proved_repo: Path, write: Writer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(proved_repo), "check"]) == 0
    assert capsys.readouterr().out == "check: ok\n"

    write(proved_repo, {"docs/pasted.md": "# Pasted\n\n```python\nx = 1\n```\n"})

    assert main(["--root", str(proved_repo), "check"]) == 1
    assert capsys.readouterr().err == (
        f"docs/pasted.md:3: a pasted python block: {PASTED}\ncheck: 1 problem(s)\n"
    )


def test_working_directory_does_not_matter(
    proved_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    assert check_repository(Settings.read(proved_repo)) == []


def test_annotation_count_must_match_the_markers(listed: Path, write: Writer) -> None:
    page = "# Page\n\n/// listing | snippets/demo/money.py#add\n\n1.  One.\n2.  Two.\n///\n"
    write(listed, {PAGE: page})

    assert listing_problems(listed, with_proof=False) == [
        "docs/page.md:3: the page gives 2 annotation(s) but the code of "
        "snippets/demo/money.py#add has 0 marker(s)"
    ]


def test_every_decision_is_listed_on_the_index(repo: Path, write: Writer) -> None:
    write(
        repo,
        {
            "adr/index.md": "# Decisions\n\n- [One](0001-one.md)\n",
            "adr/0001-one.md": "# 1. One\n\n- Status: Accepted\n",
            "adr/0002-two.md": "# 2. Two\n\n- Status: Accepted\n",
        },
    )

    assert [str(problem) for problem in check_decisions(settings_of(repo))] == [
        "adr/index.md:0: decision 0002-two.md is missing from the index"
    ]


def test_a_generated_index_lists_every_record_but_each_must_say_its_status(
    repo: Path, write: Writer
) -> None:
    write(
        repo,
        {
            "adr/index.md": "# Decisions\n\n/// decisions | adr\n///\n",
            "adr/0001-one.md": "# 1. One\n\n- Status: Accepted\n- Topic: Tooling\n",
            "adr/0002-two.md": "# 2. Two\n\nNo status line.\n",
        },
    )

    assert [str(problem) for problem in check_decisions(settings_of(repo))] == [
        "adr/0002-two.md:1: a decision record needs a '- Status: ...' line"
    ]


def test_every_diagram_has_a_title_and_a_description_for_screen_readers() -> None:
    lines = [
        "```mermaid",
        "flowchart LR",
        "    accTitle: Named",
        "    accDescr {",
        "        Described over lines",
        "    }",
        "    a --> b",
        "```",
        "",
        "```mermaid",
        "flowchart LR",
        "    a --> b  %% accTitle: in a comment does not count",
        "```",
        "```python",
        "x = 1",
        "```",
    ]

    assert [str(problem) for problem in check_diagrams("docs/page.md", lines)] == [
        "docs/page.md:10: a diagram needs 'accTitle: ...', its text alternative for screen readers",
        "docs/page.md:10: a diagram needs 'accDescr: ...', its text alternative for screen readers",
    ]
