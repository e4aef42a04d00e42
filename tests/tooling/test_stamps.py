"""Stamps: a session is skipped only while everything it read and left is as it passed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from handbook.stamps import RERUN, Inputs, Stamp, installed

LINT = Inputs(sources=("*.py", "pyproject.toml"))
TESTS = Inputs(
    sources=("snippets/*", "pyproject.toml"),
    environment=("DATABASE_URL",),
    outputs=(".handbook/proof.json",),
)
BROWSER = Inputs(sources=("tests/browser/*",), generated=("site",))


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git work tree with a few sources, an ignored build folder, nothing committed."""
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)  # noqa: S603, S607
    write(
        tmp_path,
        {
            ".gitignore": "/site/\n/.handbook/\n",
            "pyproject.toml": "[project]\nname = 'x'\n",
            "snippets/demo/money.py": "TOTAL = 1\n",
            "docs/index.md": "# Index\n",
            "tests/browser/test_site.py": "def test_site() -> None: ...\n",
            "site/index.html": "<html></html>\n",
            ".handbook/proof.json": "{}\n",
        },
    )
    return tmp_path


def stamp(root: Path, inputs: Inputs) -> Stamp:
    made = Stamp.of(root, "session", inputs)
    assert made is not None
    return made


def test_a_recorded_stamp_is_current_for_the_same_inputs(checkout: Path) -> None:
    stamp(checkout, TESTS).record({})

    assert stamp(checkout, TESTS).is_current({})


def test_nothing_is_current_before_a_green_run(checkout: Path) -> None:
    assert not stamp(checkout, TESTS).is_current({})


@pytest.mark.parametrize(
    "changed",
    ["snippets/demo/money.py", "snippets/demo/new.py", "pyproject.toml"],
)
def test_a_changed_or_new_source_makes_the_stamp_stale(checkout: Path, changed: str) -> None:
    stamp(checkout, TESTS).record({})

    write(checkout, {changed: "TOTAL = 2\n"})

    assert not stamp(checkout, TESTS).is_current({})


def test_a_removed_source_makes_the_stamp_stale(checkout: Path) -> None:
    stamp(checkout, TESTS).record({})

    (checkout / "snippets" / "demo" / "money.py").unlink()

    assert not stamp(checkout, TESTS).is_current({})


@pytest.mark.parametrize("unrelated", ["docs/index.md", "site/index.html", "snippets.md"])
def test_a_file_the_session_does_not_read_or_git_ignores_changes_nothing(
    checkout: Path, unrelated: str
) -> None:
    stamp(checkout, TESTS).record({})

    write(checkout, {unrelated: "something else\n"})

    assert stamp(checkout, TESTS).is_current({})


def test_a_pattern_reaches_files_in_every_folder(checkout: Path) -> None:
    stamp(checkout, LINT).record({})

    write(checkout, {"tests/browser/deep/helper.py": "X = 1\n"})

    assert not stamp(checkout, LINT).is_current({})


def test_another_value_of_a_setting_makes_the_stamp_stale(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    stamp(checkout, TESTS).record({})

    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1/test")

    assert not stamp(checkout, TESTS).is_current({})


def test_the_context_is_the_one_after_the_run(checkout: Path) -> None:
    # Before its first run a session's environment is empty; it installs its tools, passes,
    # and the stamp holds the tools it ran with, which the next run finds installed.
    before = stamp(checkout, TESTS)
    assert not before.is_current({"installed": ""})
    before.record({"installed": "ruff-0.14.0.dist-info"})

    assert stamp(checkout, TESTS).is_current({"installed": "ruff-0.14.0.dist-info"})
    assert not stamp(checkout, TESTS).is_current({"installed": "ruff-0.15.0.dist-info"})


@pytest.mark.parametrize("change", ["edit", "remove"])
def test_an_output_changed_or_removed_since_makes_the_stamp_stale(
    checkout: Path, change: str
) -> None:
    stamp(checkout, TESTS).record({})

    proof = checkout / ".handbook" / "proof.json"
    if change == "edit":
        proof.write_text('{"edited": true}\n', encoding="utf-8")
    else:
        proof.unlink()

    assert not stamp(checkout, TESTS).is_current({})


def test_a_generated_input_counts_as_it_is_on_disk(checkout: Path) -> None:
    stamp(checkout, BROWSER).record({})
    assert stamp(checkout, BROWSER).is_current({})

    write(checkout, {"site/search/index.json": "[]\n"})

    assert not stamp(checkout, BROWSER).is_current({})


def test_the_rerun_setting_runs_a_current_session(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp(checkout, TESTS).record({})

    monkeypatch.setenv(RERUN, "1")

    assert not stamp(checkout, TESTS).is_current({})


def test_a_forgotten_stamp_is_not_current(checkout: Path) -> None:
    recorded = stamp(checkout, TESTS)
    recorded.record({})

    recorded.forget()

    assert not recorded.path.exists()
    assert not stamp(checkout, TESTS).is_current({})


def test_a_damaged_stamp_is_not_current(checkout: Path) -> None:
    recorded = stamp(checkout, TESTS)
    recorded.record({})

    recorded.path.write_text("{not json", encoding="utf-8")

    assert not stamp(checkout, TESTS).is_current({})


def test_stamps_of_two_sessions_are_apart(checkout: Path) -> None:
    made = Stamp.of(checkout, "lint", LINT)
    assert made is not None
    made.record({})

    assert (checkout / ".handbook" / "stamps" / "lint.json").is_file()
    assert not stamp(checkout, LINT).is_current({})  # "session" has no stamp of its own yet


def test_outside_a_git_checkout_nothing_is_stamped(tmp_path: Path) -> None:
    # A folder of its own under / would do too; tmp_path is outside every repository.
    write(tmp_path, {"pyproject.toml": "[project]\n"})

    assert Stamp.of(tmp_path, "session", TESTS) is None


def test_installed_names_each_distribution_with_its_version(tmp_path: Path) -> None:
    packages = tmp_path / "lib" / "python3.11" / "site-packages"
    for folder in ("ruff-0.14.0.dist-info", "mypy-1.18.2.dist-info", "mypy"):
        (packages / folder).mkdir(parents=True)

    assert installed(tmp_path) == ["mypy-1.18.2.dist-info", "ruff-0.14.0.dist-info"]


def test_an_edit_made_while_the_session_runs_is_not_taken_for_what_passed(
    checkout: Path,
) -> None:
    running = stamp(checkout, TESTS)
    write(checkout, {"snippets/demo/money.py": "TOTAL = 3\n"})
    running.record({})

    assert not stamp(checkout, TESTS).is_current({})
