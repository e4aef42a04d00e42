"""What a listing shows: code without markers, highlights, elisions, annotations, errors."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from handbook.directives import Directive
from handbook.problems import ProblemError
from handbook.render import Listing, count_annotation_items, resolve_listing, split_target

SHAPES = textwrap.dedent(
    '''\
    """Shapes."""


    class Square:
        # --8<-- [start:area]
        def area(self, side: int) -> int:
            """The area."""  # (1)!
            # --8<-- [start:check]
            if side < 0:
                raise ValueError(side)
            # --8<-- [end:check]
            # --8<-- [start:result]
            result = side * side  # (2)
            return result
            # --8<-- [end:result]
        # --8<-- [end:area]


    # --8<-- [start:outside]
    UNIT = "cm"
    # --8<-- [end:outside]
    '''
)

SETTINGS = textwrap.dedent(
    """\
    # --8<-- [start:tool]
    [tool.demo]
    name = "demo"
    # --8<-- [start:secret]
    token = "..."
    # --8<-- [end:secret]
    debug = false
    # --8<-- [end:tool]
    """
)

PLAIN_CODE = (
    "def area(self, side: int) -> int:\n"
    '    """The area."""\n'
    "    if side < 0:\n"
    "        raise ValueError(side)\n"
    "    result = side * side\n"
    "    return result"
)


@pytest.fixture
def root(tmp_path: Path, write: Callable[[Path, Mapping[str, str]], Path]) -> Path:
    return write(
        tmp_path,
        {
            "snippets/demo/shapes.py": SHAPES,
            "snippets/demo/settings.toml": SETTINGS,
            "snippets/demo/notes.xyz": "# --8<-- [start:n]\nnote\n# --8<-- [end:n]\n",
            "snippets/demo/broken.py": "x = 1\n# --8<-- [start:b]\n",
        },
    )


def listing(argument: str, **options: str) -> Directive:
    return Directive("docs/page.md", 7, 10, "", "listing", argument, options)


def problems_of(root: Path, directive: Directive) -> list[str]:
    with pytest.raises(ProblemError) as caught:
        resolve_listing(root, directive, keep_annotations=False)
    return [str(problem) for problem in caught.value.problems]


def test_code_has_no_markers_is_dedented_and_loses_annotation_markers(root: Path) -> None:
    shown = resolve_listing(root, listing("snippets/demo/shapes.py#area"), keep_annotations=False)

    assert shown == Listing(
        source="snippets/demo/shapes.py",
        region="area",
        language="python",
        code=PLAIN_CODE,
        highlight=(),
        annotations=0,
        shown=(6, 7, 9, 10, 13, 14),
        elided=False,
    )


def test_annotation_markers_are_kept_when_the_page_annotates(root: Path) -> None:
    shown = resolve_listing(root, listing("snippets/demo/shapes.py#area"), keep_annotations=True)

    assert shown.annotations == 2
    assert shown.code.splitlines()[1] == '    """The area."""  # (1)!'
    assert shown.code.splitlines()[4] == "    result = side * side  # (2)"


@pytest.mark.parametrize(
    ("highlight", "lines"),
    [("result", (5, 6)), ("check", (3, 4)), ("check, result", (3, 4, 5, 6))],
)
def test_highlight_gives_line_numbers_within_the_code(
    root: Path, highlight: str, lines: tuple[int, ...]
) -> None:
    directive = listing("snippets/demo/shapes.py#area", highlight=highlight)

    shown = resolve_listing(root, directive, keep_annotations=False)

    assert shown.highlight == lines
    assert shown.code == PLAIN_CODE


def test_elide_replaces_a_sub_region_with_an_ellipsis(root: Path) -> None:
    directive = listing("snippets/demo/shapes.py#area", elide="check", highlight="result")

    shown = resolve_listing(root, directive, keep_annotations=False)

    assert shown.code == (
        "def area(self, side: int) -> int:\n"
        '    """The area."""\n'
        "    ...\n"
        "    result = side * side\n"
        "    return result"
    )
    assert shown.elided is True
    assert shown.shown == (6, 7, 13, 14)
    assert shown.highlight == (4, 5)


def test_elide_in_a_file_that_is_not_python_leaves_a_comment(root: Path) -> None:
    directive = listing("snippets/demo/settings.toml#tool", elide="secret")

    shown = resolve_listing(root, directive, keep_annotations=False)

    assert shown.language == "toml"
    assert shown.code == '[tool.demo]\nname = "demo"\n# ...\ndebug = false'
    assert shown.shown == (2, 3, 7)
    assert shown.elided is True


def test_lang_option_names_the_language_of_an_unknown_suffix(root: Path) -> None:
    shown = resolve_listing(
        root, listing("snippets/demo/notes.xyz#n", lang="text"), keep_annotations=False
    )

    assert (shown.language, shown.code, shown.shown) == ("text", "note", (2,))


def test_missing_file(root: Path) -> None:
    assert problems_of(root, listing("snippets/demo/nope.py#area")) == [
        "docs/page.md:7: no file 'snippets/demo/nope.py'"
    ]


def test_a_folder_is_not_a_file(root: Path) -> None:
    assert problems_of(root, listing("snippets/demo#area")) == [
        "docs/page.md:7: no file 'snippets/demo'"
    ]


def test_missing_region_lists_the_known_ones(root: Path) -> None:
    assert problems_of(root, listing("snippets/demo/shapes.py#aera")) == [
        "docs/page.md:7: no region 'aera' in snippets/demo/shapes.py "
        "(regions there: area, check, outside, result)"
    ]


def test_sub_region_not_inside_the_region(root: Path) -> None:
    directive = listing("snippets/demo/shapes.py#area", highlight="outside", elide="nope")

    with pytest.raises(ProblemError) as caught:
        resolve_listing(root, directive, keep_annotations=False)

    assert [str(p) for p in caught.value.problems] == [
        "docs/page.md:7: highlight: region 'outside' is not inside 'area'"
    ]
    assert problems_of(root, listing("snippets/demo/shapes.py#area", elide="nope")) == [
        "docs/page.md:7: elide: no region 'nope' in snippets/demo/shapes.py"
    ]
    assert problems_of(root, listing("snippets/demo/shapes.py#check", highlight="area")) == [
        "docs/page.md:7: highlight: region 'area' is not inside 'check'"
    ]


def test_highlight_and_elide_overlap(root: Path) -> None:
    directive = listing("snippets/demo/shapes.py#area", highlight="check", elide="check")

    assert problems_of(root, directive) == [
        "docs/page.md:7: cannot both highlight and elide ['check']"
    ]


def test_unknown_language(root: Path) -> None:
    assert problems_of(root, listing("snippets/demo/notes.xyz#n")) == [
        "docs/page.md:7: no language known for snippets/demo/notes.xyz; add 'lang: ...'"
    ]


def test_broken_markers_in_the_source_are_located_in_the_source(root: Path) -> None:
    assert problems_of(root, listing("snippets/demo/broken.py#b")) == [
        "snippets/demo/broken.py:2: region 'b' is never closed (no '[end:b]' marker)"
    ]


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("snippets/demo/shapes.py", "write 'path#region', got 'snippets/demo/shapes.py'"),
        ("#area", "write 'path#region', got '#area'"),
        ("/etc/passwd#x", "'/etc/passwd' must be relative to the repository root"),
        ("../outside.py#x", "'../outside.py' must be relative to the repository root"),
    ],
)
def test_bad_targets(argument: str, message: str) -> None:
    with pytest.raises(ProblemError) as caught:
        split_target(listing(argument))

    assert str(caught.value) == f"docs/page.md:7: {message}"


def test_split_target() -> None:
    assert split_target(listing("snippets/demo/shapes.py#area")) == (
        "snippets/demo/shapes.py",
        "area",
    )


def test_count_annotation_items_counts_top_level_ordered_items() -> None:
    body = ("1.  First,", "    continued.", "2. Second", "", "   3. nested, not counted", "Text")

    assert count_annotation_items(body) == 2
    assert count_annotation_items(()) == 0


def test_blank_lines_around_a_region_are_not_shown(tmp_path: Path) -> None:
    (tmp_path / "padded.py").write_text(
        textwrap.dedent(
            """\
            # --8<-- [start:padded]

            x = 1
            # --8<-- [start:second]
            y = 2
            # --8<-- [end:second]

            # --8<-- [end:padded]
            """
        ),
        encoding="utf-8",
    )
    directive = listing("padded.py#padded", highlight="second")

    shown = resolve_listing(tmp_path, directive, keep_annotations=False)

    assert shown.code == "x = 1\ny = 2"
    assert shown.highlight == (2,)
