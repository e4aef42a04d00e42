"""The ``app`` command in-process, with Click's test runner, on a SQLite file."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner, Result
from fastapi import FastAPI

from app.presentation.cli.main import cli

Invoke = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path) -> Invoke:
    runner = CliRunner()
    environment = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), env=environment)

    return invoke


def test_db_init_creates_the_schema_and_can_run_again(run: Invoke) -> None:
    first, second = run("db", "init"), run("db", "init")
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert first.output == "Database schema is up to date.\n"


def test_register_then_list_prints_json(run: Invoke) -> None:
    run("db", "init")

    registered = run("customers", "register", "Ada@Example.com", "Ada Lovelace")
    listed = run("customers", "list", "--limit", "5")

    assert registered.exit_code == 0, registered.output
    customer = json.loads(registered.output)
    assert (customer["email"], customer["name"]) == ("ada@example.com", "Ada Lovelace")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output) == {"items": [customer], "offset": 0, "limit": 5}


def test_a_broken_business_rule_is_an_error_message_not_a_traceback(run: Invoke) -> None:
    run("db", "init")
    run("customers", "register", "ada@example.com", "Ada")

    result = run("customers", "register", "ada@example.com", "Ada again")

    assert result.exit_code == 1
    assert result.output == "Error: the e-mail address ada@example.com is already registered\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("customers", "register", "ada", "Ada"), "email: Value error, not an e-mail address"),
        (("customers", "list", "--limit", "0"), "limit: Input should be greater than or equal"),
    ],
)
def test_invalid_input_is_a_usage_error_naming_the_field(
    run: Invoke, args: tuple[str, ...], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_serve_runs_uvicorn_with_the_api(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, Any] = {}

    def fake_run(app: FastAPI, *, host: str, port: int) -> None:
        served.update(app=app, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)

    result = run("serve", "--host", "0.0.0.0", "--port", "9000")  # noqa: S104 - only recorded

    assert result.exit_code == 0, result.output
    assert isinstance(served["app"], FastAPI)
    assert (served["host"], served["port"]) == ("0.0.0.0", 9000)  # noqa: S104
