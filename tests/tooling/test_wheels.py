"""The assembled and the exported wheel of an example must hold the same files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from handbook.wheels import compare_wheels, main

MODULE = (
    '"""Money."""\n\n\n# --8<-- [start:add]\ndef add(a, b):\n    return a + b\n# --8<-- [end:add]\n'
)
STRIPPED = '"""Money."""\n\n\ndef add(a, b):\n    return a + b\n'
METADATA = "Metadata-Version: 2.4\nName: demo\nVersion: 0.1.0\nRequires-Dist: click>=8.2\n"
ENTRY_POINTS = "[console_scripts]\ndemo = demo.cli:cli\n"


def wheel(path: Path, members: dict[str, str | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def members(module: str, changes: dict[str, str | bytes | None]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "demo/__init__.py": "",
        "demo/money.py": module,
        "demo/logo.png": b"\x89PNG\r\n\x1a\n\xff\xfe",
        "demo-0.1.0.dist-info/METADATA": METADATA,
        "demo-0.1.0.dist-info/entry_points.txt": ENTRY_POINTS,
        "demo-0.1.0.dist-info/RECORD": f"demo/money.py,sha256={hash(module)},{len(module)}\n",
    }
    for name, content in changes.items():
        if content is None:
            del files[name]
        else:
            files[name] = content
    return files


@pytest.fixture
def assembled(tmp_path: Path) -> Path:
    return wheel(tmp_path / "assembled" / "demo-0.1.0-py3-none-any.whl", members(MODULE, {}))


def exported(tmp_path: Path, changes: dict[str, str | bytes | None] | None = None) -> Path:
    """The export's wheel: the same files without markers, changed as given."""
    return wheel(
        tmp_path / "exported" / "demo-0.1.0-py3-none-any.whl", members(STRIPPED, changes or {})
    )


def test_wheels_that_differ_only_in_markers_and_record_are_the_same(
    assembled: Path, tmp_path: Path
) -> None:
    assert compare_wheels(assembled, exported(tmp_path)) == []


def test_a_module_that_differs_beyond_its_markers_is_named(assembled: Path, tmp_path: Path) -> None:
    changed = STRIPPED.replace("a + b", "a - b")

    problems = compare_wheels(assembled, exported(tmp_path, {"demo/money.py": changed}))

    assert [str(p) for p in problems] == [
        "demo/money.py:0: differs between the assembled and the exported wheel"
    ]


def test_other_metadata_is_a_difference(assembled: Path, tmp_path: Path) -> None:
    other = METADATA.replace("click>=8.2", "click>=8.1")

    problems = compare_wheels(
        assembled, exported(tmp_path, {"demo-0.1.0.dist-info/METADATA": other})
    )

    assert [p.path for p in problems] == ["demo-0.1.0.dist-info/METADATA"]


def test_a_member_in_only_one_wheel_is_named_on_its_side(assembled: Path, tmp_path: Path) -> None:
    lacking = exported(tmp_path, {"demo/logo.png": None, "demo/extra.py": "X = 1\n"})

    problems = compare_wheels(assembled, lacking)

    assert [str(p) for p in problems] == [
        "demo/logo.png:0: in the assembled wheel, missing from the exported one",
        "demo/extra.py:0: in the exported wheel, missing from the assembled one",
    ]


def test_the_command_says_how_many_files_matched(
    assembled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([str(assembled), str(exported(tmp_path))])

    assert status == 0
    assert capsys.readouterr().out == (
        "wheels: demo-0.1.0-py3-none-any.whl and the export's hold the same 5 files\n"
    )


def test_the_command_fails_naming_each_difference(
    assembled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([str(assembled), str(exported(tmp_path, {"demo/logo.png": None}))])

    assert status == 1
    assert capsys.readouterr().err == (
        "demo/logo.png:0: in the assembled wheel, missing from the exported one\n"
        "wheels: 1 difference(s)\n"
    )
