"""Examples: assembled from ``snippets/`` and exported as standalone projects."""

from __future__ import annotations

import io
import textwrap
import tomllib
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from handbook.__main__ import main
from handbook.examples import export_zip, plan_export, project_tree, write_export
from handbook.problems import ProblemError
from handbook.regions import strip_markers

Writer = Callable[[Path, Mapping[str, str]], Path]

PYPROJECT = textwrap.dedent(
    """\
    # The demo example: its code comes from the handbook's snippets.
    [build-system]
    requires = ["hatchling>=1.27"]
    build-backend = "hatchling.build"

    [project]
    name = "demo"
    version = "0.1.0"
    dependencies = ["click>=8.2"]

    [tool.hatch.build.targets.wheel]
    bypass-selection = true

    [tool.hatch.build.targets.wheel.force-include]
    "../../snippets/demo" = "demo"

    # --8<-- [start:pytest]
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    # --8<-- [end:pytest]
    """
)

MONEY = textwrap.dedent(
    '''\
    """Money."""


    # --8<-- [start:add]
    def add(a: int, b: int) -> int:
        """Add."""
        return a + b
    # --8<-- [end:add]
    '''
)


@pytest.fixture
def root(tmp_path: Path, write: Writer) -> Path:
    root = write(
        tmp_path / "handbook",
        {
            "pyproject.toml": '[project]\nname = "handbook"\n',
            "snippets/demo/__init__.py": '"""Demo."""\n',
            "snippets/demo/money.py": MONEY,
            "snippets/demo/__pycache__/money.cpython-311.pyc": "bytecode",
            "snippets/other/__init__.py": '"""Not part of the example."""\n',
            "examples/demo/pyproject.toml": PYPROJECT,
            "examples/demo/README.md": "# Demo\n\nRun `pytest`.\n",
            "examples/demo/tests/test_money.py": "from demo.money import add\n",
            "examples/demo/.venv/bin/python": "not exported",
            "examples/demo/demo.db": "not exported",
            "examples/demo/.pytest_cache/x": "not exported",
            "examples/notes/README.md": "a folder without pyproject is no example\n",
        },
    )
    (root / "examples/demo/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\x00")
    return root


def test_plan_export_lays_out_a_standalone_src_project(root: Path) -> None:
    files = {file.destination: file.content for file in plan_export(root, "demo")}

    assert list(files) == [
        "README.md",
        "logo.png",
        "pyproject.toml",
        "src/demo/__init__.py",
        "src/demo/money.py",
        "tests/test_money.py",
    ]
    assert files["src/demo/money.py"].decode() == strip_markers(MONEY)
    assert b"--8<--" not in files["src/demo/money.py"]
    assert files["logo.png"] == b"\x89PNG\r\n\x1a\n\xff\x00"
    assert files["README.md"] == b"# Demo\n\nRun `pytest`.\n"


def test_the_exported_pyproject_builds_from_src(root: Path) -> None:
    (pyproject,) = [f for f in plan_export(root, "demo") if f.destination == "pyproject.toml"]
    text = pyproject.content.decode()
    wheel = tomllib.loads(text)["tool"]["hatch"]["build"]["targets"]["wheel"]

    assert wheel == {"packages": ["src/demo"]}
    assert "../../snippets" not in text
    assert "force-include" not in text
    assert "--8<--" not in text
    assert tomllib.loads(text)["tool"]["pytest"]["ini_options"] == {"testpaths": ["tests"]}
    assert text.startswith("# The demo example: its code comes from the handbook's snippets.\n")


def test_a_file_pointing_back_into_the_handbook_is_refused(root: Path, write: Writer) -> None:
    write(root, {"examples/demo/README.md": "# Demo\n\nThe code is in\n../../snippets/demo\n"})

    with pytest.raises(ProblemError) as caught:
        plan_export(root, "demo")

    assert str(caught.value) == (
        "export:demo/README.md:4: still points into the handbook repository: ../../snippets/demo"
    )


def test_an_unknown_example(root: Path) -> None:
    with pytest.raises(ProblemError) as caught:
        plan_export(root, "nope")

    assert str(caught.value) == "examples/nope:0: no example 'nope' (known: demo, notes)"


def test_project_tree_lists_the_exported_paths(root: Path) -> None:
    assert project_tree(root, "examples/demo") == [
        file.destination for file in plan_export(root, "demo")
    ]


def test_write_export_writes_the_plan(root: Path, tmp_path: Path) -> None:
    destination = tmp_path / "out" / "demo"

    written = write_export(root, "demo", destination)

    for file in written:
        assert (destination / file.destination).read_bytes() == file.content
    assert sorted(
        p.relative_to(destination).as_posix() for p in destination.rglob("*") if p.is_file()
    ) == [file.destination for file in written]


def test_write_export_into_an_empty_folder(root: Path, tmp_path: Path) -> None:
    destination = tmp_path / "empty"
    destination.mkdir()

    assert write_export(root, "demo", destination)


def test_write_export_refuses_a_non_empty_destination(root: Path, tmp_path: Path) -> None:
    destination = tmp_path / "taken"
    destination.mkdir()
    (destination / "keep.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(ProblemError) as caught:
        write_export(root, "demo", destination)

    assert str(caught.value) == f"{destination}:0: destination exists and is not empty"
    assert [p.name for p in destination.iterdir()] == ["keep.txt"]


def test_export_zip_has_one_top_level_folder(root: Path) -> None:
    archive = export_zip(root, "demo")

    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = opened.namelist()
        money = opened.read("demo/src/demo/money.py")

    assert {name.split("/", 1)[0] for name in names} == {"demo"}
    assert names == [f"demo/{file.destination}" for file in plan_export(root, "demo")]
    assert money == strip_markers(MONEY).encode()
    assert export_zip(root, "demo") == archive  # reproducible: fixed dates, sorted entries


def test_the_cli_exports_and_reports_problems(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    destination = tmp_path / "exported"

    assert main(["--root", str(root), "export", "demo", str(destination)]) == 0
    assert capsys.readouterr().out == f"export: wrote 6 files to {destination}\n"
    assert main(["--root", str(root), "export", "demo", str(destination)]) == 1
    assert capsys.readouterr().err == (
        f"{destination}:0: destination exists and is not empty\nexport: 1 problem(s)\n"
    )


def test_an_example_without_a_wheel_table_is_named(tmp_path: Path) -> None:
    (tmp_path / "examples" / "bare").mkdir(parents=True)
    (tmp_path / "examples" / "bare" / "pyproject.toml").write_text(
        '[project]\nname = "bare"\n', encoding="utf-8"
    )

    with pytest.raises(ProblemError) as raised:
        plan_export(tmp_path, "bare")

    assert (
        str(raised.value) == "examples/bare/pyproject.toml:0: no [tool.hatch.build.targets.wheel]"
    )
