"""Region markers: parsing, nesting, every broken marker located at ``file:line``."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from handbook.problems import ProblemError
from handbook.regions import (
    MarkedFile,
    Region,
    is_marker_line,
    load_marked_file,
    parse_regions,
    strip_markers,
)

MALFORMED_HINT = (
    "write '# --8<-- [start:name]' or '# --8<-- [end:name]' "
    "(name: lowercase letters, digits, '-' and '_')"
)

NESTED = """\
# --8<-- [start:outer]
def area(side: int) -> int:
    # --8<-- [start:inner]
    result = side * side
    # --8<-- [end:inner]
    return result
# --8<-- [end:outer]
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(ProblemError) as caught:
        parse_regions("snippets/demo/x.py", text)
    return [str(problem) for problem in caught.value.problems]


def test_nested_regions_have_their_marker_lines_and_bodies() -> None:
    marked = parse_regions("snippets/demo/x.py", NESTED)

    assert marked.regions == {
        "outer": Region("outer", 1, 7),
        "inner": Region("inner", 3, 5),
    }
    assert list(marked.regions["outer"].body) == [2, 3, 4, 5, 6]
    assert list(marked.regions["inner"].body) == [4]
    assert marked.marker_lines == frozenset({1, 3, 5, 7})
    assert marked.path == "snippets/demo/x.py"
    assert len(marked.lines) == 7


def test_text_of_a_region_leaves_out_nested_markers() -> None:
    marked = parse_regions("snippets/demo/x.py", NESTED)

    assert marked.text(marked.regions["outer"].body) == [
        "def area(side: int) -> int:",
        "    result = side * side",
        "    return result",
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("# --8<-- [start:conf]", "# --8<-- [end:conf]"),
        ("// --8<-- [start:conf]", "// --8<-- [end:conf]"),
        ("<!-- --8<-- [start:conf] -->", "<!-- --8<-- [end:conf] -->"),
        ("-- --8<-- [start:conf]", "-- --8<-- [end:conf]"),
        ("; --8<-- [start:conf]", "; --8<-- [end:conf]"),
        ("    #--8<-- [start:conf]  ", "    #   --8<--   [end:conf]"),
    ],
    ids=["hash", "slashes", "html", "sql", "ini", "indented-and-spaced"],
)
def test_markers_in_each_comment_syntax(start: str, end: str) -> None:
    marked = parse_regions("config/x", f"{start}\nvalue = 1\n{end}\n")

    assert marked.regions == {"conf": Region("conf", 1, 3)}


@pytest.mark.parametrize(
    "marker",
    [
        "# --8<-- [strat:x]",
        "# --8<-- [start:Entity]",
        "# --8<-- [start:x",
        "# --8<-- start:x",
        "# --8<--[start:]",
        "# --8<-- [start:x] trailing words",
    ],
    ids=["misspelt-kind", "upper-case-name", "no-bracket", "no-brackets", "no-name", "trailing"],
)
def test_malformed_marker_is_located(marker: str) -> None:
    problems = problems_of(f"x = 1\n{marker}\ny = 2\n")

    assert problems == [
        f"snippets/demo/x.py:2: malformed region marker {marker.strip()!r}; {MALFORMED_HINT}"
    ]


def test_unclosed_region_is_located_at_its_start() -> None:
    problems = problems_of("x = 1\n# --8<-- [start:entity]\nclass Entity: ...\n")

    assert problems == [
        "snippets/demo/x.py:2: region 'entity' is never closed (no '[end:entity]' marker)"
    ]


def test_end_without_start() -> None:
    problems = problems_of("x = 1\n# --8<-- [end:entity]\n")

    assert problems == ["snippets/demo/x.py:2: end of region 'entity', which never started"]


def test_region_marked_twice() -> None:
    text = textwrap.dedent(
        """\
        # --8<-- [start:a]
        x = 1
        # --8<-- [end:a]
        # --8<-- [start:a]
        y = 2
        # --8<-- [end:a]
        """
    )

    assert problems_of(text) == ["snippets/demo/x.py:4: region 'a' is marked twice"]


def test_region_marked_twice_while_still_open() -> None:
    text = textwrap.dedent(
        """\
        # --8<-- [start:a]
        # --8<-- [start:a]
        x = 1
        # --8<-- [end:a]
        # --8<-- [end:a]
        """
    )

    assert problems_of(text) == ["snippets/demo/x.py:2: region 'a' is marked twice"]


def test_improperly_nested_regions() -> None:
    text = textwrap.dedent(
        """\
        # --8<-- [start:a]
        # --8<-- [start:b]
        x = 1
        # --8<-- [end:a]
        # --8<-- [end:b]
        """
    )

    assert problems_of(text) == [
        "snippets/demo/x.py:1: region 'a' is never closed (no '[end:a]' marker)",
        "snippets/demo/x.py:4: end of region 'a' while region 'b' (started on line 2) "
        "is still open; regions must nest",
    ]


def test_every_problem_of_a_file_is_reported_sorted_by_line() -> None:
    text = textwrap.dedent(
        """\
        # --8<-- [end:early]
        # --8<-- [start:open]
        # --8<-- [strat:typo]
        x = 1
        """
    )

    assert problems_of(text) == [
        "snippets/demo/x.py:1: end of region 'early', which never started",
        "snippets/demo/x.py:2: region 'open' is never closed (no '[end:open]' marker)",
        f"snippets/demo/x.py:3: malformed region marker '# --8<-- [strat:typo]'; {MALFORMED_HINT}",
    ]


def test_markdown_include_line_is_not_a_marker() -> None:
    text = 'Intro\n\n--8<-- "snippets/demo/notes.md"\n\n  --8<-- "other.md"\n'

    marked = parse_regions("docs/page.md", text)

    assert not is_marker_line('--8<-- "snippets/demo/notes.md"')
    assert is_marker_line("# --8<-- [start:x]")
    assert is_marker_line("# --8<-- [strat:x]")
    assert marked.marker_lines == frozenset()
    assert marked.regions == {}
    assert strip_markers(text) == text


def test_strip_markers_keeps_everything_else_with_its_line_endings() -> None:
    text = (
        "# --8<-- [start:a]\r\n"
        "x = 1\r\n"
        '--8<-- "kept.md"\r\n'
        "    # --8<-- [start:b]\r\n"
        "    y = 2\r\n"
        "    # --8<-- [end:b]\r\n"
        "# --8<-- [end:a]\r\n"
        "z = 3"
    )

    assert strip_markers(text) == 'x = 1\r\n--8<-- "kept.md"\r\n    y = 2\r\nz = 3'


def test_load_marked_file_reads_relative_to_root_and_notices_changes(tmp_path: Path) -> None:
    source = tmp_path / "snippets" / "x.py"
    source.parent.mkdir()
    source.write_text("# --8<-- [start:a]\nx = 1\n# --8<-- [end:a]\n", encoding="utf-8")

    first = load_marked_file(tmp_path, "snippets/x.py")
    source.write_text("# --8<-- [start:b]\ny = 2\n# --8<-- [end:b]\n", encoding="utf-8")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_marked_file(tmp_path, "snippets/x.py")

    assert isinstance(first, MarkedFile)
    assert first.path == "snippets/x.py"
    assert list(first.regions) == ["a"]
    assert list(second.regions) == ["b"]


def test_load_marked_file_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_marked_file(tmp_path, "snippets/missing.py")


def test_load_marked_file_reports_broken_markers_at_file_line(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("a = 1\n\n# --8<-- [start:a]\n", encoding="utf-8")

    with pytest.raises(ProblemError) as caught:
        load_marked_file(tmp_path, "x.py")

    assert str(caught.value) == "x.py:3: region 'a' is never closed (no '[end:a]' marker)"
