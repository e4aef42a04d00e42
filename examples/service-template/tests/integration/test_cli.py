"""The ``app`` command in-process, with Click's test runner, on a SQLite file."""

import json
import re
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


def test_db_upgrade_says_it_created_the_schema_then_that_it_is_current(run: Invoke) -> None:
    first, second = run("db", "upgrade"), run("db", "upgrade")

    assert (first.exit_code, second.exit_code) == (0, 0)
    assert first.output == (
        "Created the schema at revision 0001, applying:\n"
        "  0001  Create the customers and outbox tables.\n"
    )
    assert second.output == "The schema is at revision 0001 already; nothing to apply.\n"


def test_register_prints_json_and_list_a_table_or_with_json_the_page(run: Invoke) -> None:
    run("db", "upgrade")

    registered = run("customers", "register", "Ada@Example.com", "Ada Lovelace")
    table = run("customers", "list", "--limit", "5")
    listed = run("customers", "list", "--limit", "5", "--json")

    assert registered.exit_code == 0, registered.output
    customer = json.loads(registered.output)
    assert (customer["email"], customer["name"]) == ("ada@example.com", "Ada Lovelace")
    assert registered.output.startswith('{\n  "id": ')  # indented, as every command's JSON
    assert [re.split(r"\s{2,}", line) for line in table.output.splitlines()[::2]] == [
        ["ID", "E-MAIL", "NAME", "ACTIVE"],
        [customer["id"], "ada@example.com", "Ada Lovelace", "yes"],
    ]
    assert json.loads(listed.output) == {"items": [customer], "next_cursor": None}


def test_list_pages_with_the_cursor(run: Invoke) -> None:
    run("db", "upgrade")
    for email in ["cy@example.com", "al@example.com", "bo@example.com"]:
        run("customers", "register", email, "Someone")

    first = json.loads(run("customers", "list", "--limit", "2", "--json").output)
    table = run("customers", "list", "--limit", "2").output
    second = run("customers", "list", "--limit", "2", "--after", first["next_cursor"], "--json")

    assert [c["email"] for c in first["items"]] == ["al@example.com", "bo@example.com"]
    assert table.endswith(f"\n\nMore after this page: --after {first['next_cursor']}\n")
    assert [c["email"] for c in json.loads(second.output)["items"]] == ["cy@example.com"]


def test_a_broken_business_rule_is_an_error_message_not_a_traceback(run: Invoke) -> None:
    run("db", "upgrade")
    run("customers", "register", "ada@example.com", "Ada")

    result = run("customers", "register", "ada@example.com", "Ada again")

    assert result.exit_code == 1
    assert result.output == "Error: the e-mail address ada@example.com is already registered\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("customers", "register", "ada", "Ada"), "email: Value error, not an e-mail address"),
        (("customers", "list", "--limit", "0"), "limit: Input should be greater than or equal"),
        (("customers", "list", "--after", "bogus"), "not a cursor of this list"),
    ],
)
def test_invalid_input_is_a_usage_error_naming_the_field(
    run: Invoke, args: tuple[str, ...], message: str
) -> None:
    run("db", "upgrade")

    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_serve_runs_uvicorn_with_the_api(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app, **options))

    result = run("serve", "--host", "0.0.0.0", "--port", "9000", "--max-concurrency", "7")  # noqa: S104 - only recorded

    assert result.exit_code == 0, result.output
    assert isinstance(served["app"](), FastAPI)
    assert (served["host"], served["port"]) == ("0.0.0.0", 9000)  # noqa: S104
    assert (served["factory"], served["server_header"]) == (True, False)
    assert served["http"].header_timeout == 10.0
