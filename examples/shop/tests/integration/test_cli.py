"""The ``shop`` command in-process, with Click's test runner, on a database of its own."""

import asyncio
import importlib
import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import click
import pytest
import structlog
import uvicorn
from alembic import command
from click.testing import CliRunner, Result
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine

from shop.infrastructure.database.schema import MIGRATIONS
from shop.presentation.api.application import app_from_settings
from shop.presentation.cli.main import CONTEXT_GROUPS, cli

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


def test_each_contexts_group_is_a_command_of_the_shop(run: Invoke) -> None:
    listed = run("--help").output

    for group in CONTEXT_GROUPS:
        assert group.name is not None
        assert cli.get_command(click.Context(cli), group.name) is group
        assert f"  {group.name} " in listed


def test_db_upgrade_says_it_created_the_schema_then_that_it_is_current(run: Invoke) -> None:
    first, second = run("db", "upgrade"), run("db", "upgrade")

    assert (first.exit_code, second.exit_code) == (0, 0), first.output
    assert first.output == (
        "Created the schema at revision 0013, applying:\n"
        "  0001  Create the platform's tables: tenants, outbox and idempotency keys.\n"
        "  0002  Create the catalog's table: products.\n"
        "  0003  Create ordering's tables: orders and their lines.\n"
        "  0004  Prepare the outbox for the relay, and add the embedded transport's queues.\n"
        "  0005  Create the consumers' inbox and the catalog's units-sold projection.\n"
        "  0006  Create the notifications context's table: whom to e-mail about each order.\n"
        "  0007  Create the audit context's table: every tenant's hash-chained log.\n"
        "  0008  Create the daily sales report that the background job compiles.\n"
        "  0009  Store each outbox event's trace context, for the relay to carry into its "
        "envelope.\n"
        "  0010  Create identity's tables: users, memberships, refresh tokens and single-use"
        " tokens.\n"
        "  0011  Create payments' tables: the payments, and the provider's events processed.\n"
        "  0012  Create the links of external identity providers' users to the shop's users.\n"
        "  0013  Record who placed each order: a nullable column, added without waiting on "
        "traffic.\n"
    )
    assert second.output == "The schema is at revision 0013 already; nothing to apply.\n"


def test_db_upgrade_from_an_older_revision_names_what_it_applied(
    run: Invoke, database_url: str
) -> None:
    asyncio.run(upgrade_to(database_url, "0001"))

    result = run("db", "upgrade")

    assert (result.exit_code, result.output) == (
        0,
        "Upgraded the schema from revision 0001 to 0013:\n"
        "  0002  Create the catalog's table: products.\n"
        "  0003  Create ordering's tables: orders and their lines.\n"
        "  0004  Prepare the outbox for the relay, and add the embedded transport's queues.\n"
        "  0005  Create the consumers' inbox and the catalog's units-sold projection.\n"
        "  0006  Create the notifications context's table: whom to e-mail about each order.\n"
        "  0007  Create the audit context's table: every tenant's hash-chained log.\n"
        "  0008  Create the daily sales report that the background job compiles.\n"
        "  0009  Store each outbox event's trace context, for the relay to carry into its "
        "envelope.\n"
        "  0010  Create identity's tables: users, memberships, refresh tokens and single-use"
        " tokens.\n"
        "  0011  Create payments' tables: the payments, and the provider's events processed.\n"
        "  0012  Create the links of external identity providers' users to the shop's users.\n"
        "  0013  Record who placed each order: a nullable column, added without waiting on "
        "traffic.\n",
    )


async def upgrade_to(database_url: str, revision: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(
                lambda sync: command.upgrade(MIGRATIONS.config(sync), revision)
            )
    finally:
        await engine.dispose()


def test_tenants_add_prints_the_tenant_and_list_shows_it(migrated: Invoke) -> None:
    added = migrated("tenants", "add", "globex", "  Globex Corporation ")
    migrated("tenants", "add", "acme", "Acme Corporation")
    listed = migrated("tenants", "list", "--json")

    assert added.exit_code == 0, added.output
    tenant = json.loads(added.output)
    assert (tenant["tenant_id"], tenant["name"]) == ("globex", "Globex Corporation")
    assert listed.exit_code == 0, listed.output
    assert [t["tenant_id"] for t in json.loads(listed.output)] == ["acme", "globex"]
    assert tenant in json.loads(listed.output)


def test_tenants_list_is_a_table_for_a_person(migrated: Invoke) -> None:
    migrated("tenants", "add", "acme", "Acme Corporation")

    lines = migrated("tenants", "list").output.splitlines()

    assert re.split(r"\s{2,}", lines[0]) == ["TENANT", "NAME", "REGISTERED"]
    assert re.split(r"\s{2,}", lines[2])[:2] == ["acme", "Acme Corporation"]
    assert len(lines) == 3


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
    assert json.loads(migrated("tenants", "list", "--json").output) == []


def test_seed_adds_the_demo_tenants_once(migrated: Invoke) -> None:
    first = migrated("seed")
    after_first = migrated("tenants", "list", "--json").output
    second = migrated("seed")

    assert (first.exit_code, second.exit_code) == (0, 0), first.output
    assert first.output == second.output == "Demo data is in place for acme, globex.\n"
    assert [t["tenant_id"] for t in json.loads(after_first)] == ["acme", "globex"]
    assert migrated("tenants", "list", "--json").output == after_first


@pytest.mark.usefixtures("structlog_restored", "root_logger_restored")
def test_serve_runs_uvicorn_on_the_app_factory_within_the_limits_of_options_and_settings(
    run: Invoke, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    served: dict[str, Any] = {}

    def fake_run(app: Callable[[], FastAPI], **options: Any) -> None:
        served.update(app=app, **options)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.setenv("HTTP_KEEP_ALIVE_TIMEOUT", "3")  # a setting, no option

    everywhere = "0.0.0.0"  # noqa: S104 - only recorded
    result = run(
        "--set",
        "max_request_body_size=1000",
        "serve",
        "--host",
        everywhere,
        "--port",
        "9000",
        "--header-timeout",
        "2.5",
    )

    assert result.exit_code == 0, result.output
    factory = served.pop("app")
    assert served.pop("http").header_timeout == 2.5
    assert served == {
        "factory": True,
        "host": everywhere,
        "port": 9000,
        "log_level": "warning",
        "timeout_keep_alive": 3,
        "h11_max_incomplete_event_size": 16 * 1024,
        "server_header": False,
        "proxy_headers": False,  # the app's edge believes the proxies its settings name
    }
    assert isinstance(factory, partial)
    assert factory.func is app_from_settings
    (settings,) = factory.args
    assert (settings.log_level, settings.max_request_body_size) == ("WARNING", 1000)
    assert settings.http_header_timeout == 2.5
    assert settings.database_url.get_secret_value() == database_url
    assert factory().state.services.settings.http_header_timeout == 2.5  # as uvicorn calls it


def test_serve_refuses_a_limit_its_setting_refuses(run: Invoke) -> None:
    result = run("serve", "--body-timeout", "0")

    assert result.exit_code == 2
    assert "http_body_timeout: Input should be greater than 0" in result.output


@pytest.mark.usefixtures("structlog_restored", "root_logger_restored")
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
