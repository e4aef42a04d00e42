"""The ``shop`` command in-process, with Click's test runner, on a database of its own."""

import importlib
import json
from collections.abc import Callable
from typing import Any

import pytest
import structlog
import uvicorn
from click.testing import CliRunner, Result
from fastapi import FastAPI

from shop.presentation.cli.main import cli

Invoke = Callable[..., Result]


@pytest.fixture
def run(database_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), env={"DATABASE_URL": database_url})

    return invoke


@pytest.fixture
def migrated(run: Invoke) -> Invoke:
    assert run("db", "upgrade").exit_code == 0
    return run


def test_db_upgrade_creates_the_schema_and_can_run_again(run: Invoke) -> None:
    first, second = run("db", "upgrade"), run("db", "upgrade")

    assert (first.exit_code, second.exit_code) == (0, 0), first.output
    assert first.output == "Database schema is up to date.\n"


def test_tenants_add_prints_the_tenant_and_list_shows_it(migrated: Invoke) -> None:
    added = migrated("tenants", "add", "globex", "  Globex Corporation ")
    migrated("tenants", "add", "acme", "Acme Corporation")
    listed = migrated("tenants", "list")

    assert added.exit_code == 0, added.output
    tenant = json.loads(added.output)
    assert (tenant["tenant_id"], tenant["name"]) == ("globex", "Globex Corporation")
    assert listed.exit_code == 0, listed.output
    assert [t["tenant_id"] for t in json.loads(listed.output)] == ["acme", "globex"]
    assert tenant in json.loads(listed.output)


def test_a_taken_tenant_id_is_an_error_message_not_a_traceback(migrated: Invoke) -> None:
    migrated("tenants", "add", "acme", "Acme")

    result = migrated("tenants", "add", "acme", "Acme again")

    assert result.exit_code == 1
    assert result.output == "Error: a tenant with the id acme already exists\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Acme!", "Acme"), "Error: not a tenant id: 'Acme!'"),
        (("acme", " "), "Error: a tenant name has 1 to 200 characters"),
    ],
)
def test_invalid_input_is_a_usage_error(
    migrated: Invoke, args: tuple[str, str], message: str
) -> None:
    result = migrated("tenants", "add", *args)

    assert result.exit_code == 2
    assert message in result.output
    assert json.loads(migrated("tenants", "list").output) == []


def test_seed_adds_the_demo_tenants_once(migrated: Invoke) -> None:
    first = migrated("seed")
    after_first = migrated("tenants", "list").output
    second = migrated("seed")

    assert (first.exit_code, second.exit_code) == (0, 0), first.output
    assert first.output == second.output == "Demo data is in place for acme, globex.\n"
    assert [t["tenant_id"] for t in json.loads(after_first)] == ["acme", "globex"]
    assert migrated("tenants", "list").output == after_first


def test_serve_runs_uvicorn_on_the_app_factory(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, Any] = {}

    def fake_run(app: str, **options: Any) -> None:
        served.update(app=app, **options)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    result = run("serve", "--host", "0.0.0.0", "--port", "9000")  # noqa: S104 - only recorded

    assert result.exit_code == 0, result.output
    assert served == {
        "app": "shop.presentation.api.application:app_from_environment",
        "factory": True,
        "host": "0.0.0.0",  # noqa: S104 - only recorded
        "port": 9000,
        "log_level": "warning",
    }


@pytest.mark.usefixtures("structlog_restored")
def test_the_app_factory_builds_the_shop_from_the_environment(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)

    module, _, name = "shop.presentation.api.application:app_from_environment".partition(":")
    app = getattr(importlib.import_module(module), name)()

    assert isinstance(app, FastAPI)
    assert app.state.services.settings.database_url.get_secret_value() == database_url
    assert app.dependency_overrides == {}  # nothing is wired through them in production
    assert structlog.is_configured()
