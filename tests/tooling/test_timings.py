"""What ``nox -s timings`` runs, how it starts cold, and the table it writes."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from handbook.timings import (
    END,
    START,
    Run,
    ci_environment,
    configuration,
    edited,
    forget_earlier_runs,
    run_nox,
    write_table,
)


def test_the_runs_are_ci_runs_outside_the_sessions_environment(tmp_path: Path) -> None:
    session = tmp_path / ".nox" / "timings"
    shell = {
        "PATH": os.pathsep.join([str(session / "bin"), "/usr/local/bin", "/usr/bin"]),
        "VIRTUAL_ENV": str(session),
        "DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/test",
    }

    environment = ci_environment(shell, session)

    assert environment == {
        "PATH": os.pathsep.join(["/usr/local/bin", "/usr/bin"]),
        "DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/test",
        "CI": "true",
    }


def fake_chromium(folder: Path) -> Path:
    folder.mkdir(parents=True)
    chromium = folder / "chromium"
    chromium.write_text("#!/bin/sh\n", encoding="utf-8")
    chromium.chmod(chromium.stat().st_mode | stat.S_IXUSR)
    return chromium


def test_the_configuration_names_the_databases_and_the_browser(tmp_path: Path) -> None:
    chromium = fake_chromium(tmp_path / "bin")
    environment = {
        "PATH": str(tmp_path / "bin"),
        "DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/test",
    }

    assert configuration(environment) == (
        "`CI=true`; databases: SQLite and postgresql (`DATABASE_URL`); "
        f"browser tests: Chromium ({chromium})"
    )


@pytest.mark.parametrize("url", ["", "sqlite+aiosqlite:///./shop.db"])
def test_without_a_server_the_configuration_says_sqlite_only(tmp_path: Path, url: str) -> None:
    environment = {"PATH": str(tmp_path), "DATABASE_URL": url}

    assert configuration(environment) == (
        "`CI=true`; databases: SQLite only (no `DATABASE_URL`); "
        "browser tests: none: the browser session fails under CI"
    )


def test_a_cold_start_keeps_only_the_running_environment_and_the_fetched_uv(
    tmp_path: Path,
) -> None:
    folders = (".nox/lint/bin", ".nox/timings/bin", ".handbook/bootstrap/bin", "site/search")
    for folder in (*folders, ".mypy_cache/3.11", ".ruff_cache", ".import_linter_cache"):
        (tmp_path / folder).mkdir(parents=True)
    for folder in ("venvs/shop", "dist/shop", "export/shop", "stamps"):
        (tmp_path / ".handbook" / folder).mkdir(parents=True)
    for file in ("proof.json", ".coverage", "tests.json", "stamps/lint.json"):
        (tmp_path / ".handbook" / file).write_text("{}", encoding="utf-8")

    forget_earlier_runs(tmp_path, tmp_path / ".nox" / "timings")

    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert left == [
        ".handbook",
        ".handbook/bootstrap",
        ".handbook/bootstrap/bin",
        ".nox",
        ".nox/timings",
        ".nox/timings/bin",
    ]


def test_a_run_is_timed_with_the_load_around_it(tmp_path: Path) -> None:
    run = run_nox(tmp_path, [sys.executable, "-c", "pass"], dict(os.environ))

    assert run.seconds > 0
    assert run.load_before >= 0
    assert run.load_after >= 0


def test_a_failed_run_measures_nothing(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "raise SystemExit(3)"]

    with pytest.raises(SystemExit, match="failed; nothing measured"):
        run_nox(tmp_path, command, dict(os.environ))


def test_the_table_replaces_the_text_between_the_markers(tmp_path: Path) -> None:
    guide = tmp_path / "CONTRIBUTING.md"
    guide.write_text(f"# Guide\n\n{START}\nold figures\n{END}\n\nAfter.\n", encoding="utf-8")

    write_table(
        tmp_path,
        {"`./noxw`, cold": Run(121.04, 0.5, 1.96), "Rebuild": Run(1.26, 0.1, 0.2)},
        "`CI=true`; databases: SQLite only",
    )

    text = guide.read_text(encoding="utf-8")
    assert text.startswith(f"# Guide\n\n{START}\n| Loop | Wall time | Load before → after |\n")
    assert "| `./noxw`, cold | 121.0 s | 0.50 → 1.96 |\n| Rebuild | 1.3 s | 0.10 → 0.20 |\n" in text
    assert "`./noxw` ran with `CI=true`; databases: SQLite only.\n" in text
    assert "old figures" not in text
    assert text.endswith(f"{END}\n\nAfter.\n")


def test_an_edit_is_undone(tmp_path: Path) -> None:
    snippet = tmp_path / "entity.py"
    original = '"""An object with a lifecycle."""\n'
    snippet.write_text(original, encoding="utf-8")

    undo = edited(snippet)
    assert snippet.read_text(encoding="utf-8") == '"""An object (edited) with a lifecycle."""\n'
    undo()

    assert snippet.read_text(encoding="utf-8") == original
