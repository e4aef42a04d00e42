"""The CLI kernel: a context's group on a runner, output for people and scripts, db upgrade."""

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, Protocol, TypeVar, runtime_checkable

import click
import pytest
from click.testing import CliRunner
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import create_async_engine

from infrastructure_kernel.cli.options import tenant_option, validated
from infrastructure_kernel.cli.output import Columns, echo_json, echo_page, json_option
from infrastructure_kernel.cli.runner import (
    CommandRunner,
    run,
    run_for_tenant,
    run_on_fresh_services,
)
from infrastructure_kernel.cli.schema import db_group
from infrastructure_kernel.database.migrations import Revision, SchemaUpgrade
from shared_kernel.errors import InvalidValueError, InvariantViolationError
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId

T = TypeVar("T")


@runtime_checkable
class GreetingServices(Protocol):
    """The port of a tiny context: it greets."""

    def greeting(self) -> str: ...


class Services:
    """What a deployable would build; implements GreetingServices."""

    def greeting(self) -> str:
        return "hello"


class Greeted(BaseModel):
    text: str
    times: int = Field(ge=1)


class Runner:
    """A deployable's runner on given services; knows only the tenant acme."""

    def __init__(self, services: object) -> None:
        self.services = services

    def run(self, work: Callable[[Any], Awaitable[T]], /) -> T:
        async def main() -> T:
            return await work(self.services)

        return asyncio.run(main())

    def run_for_tenant(self, tenant_id: TenantId, work: Callable[[Any], Awaitable[T]], /) -> T:
        if tenant_id != TenantId("acme"):
            raise click.ClickException(f"no tenant has the id {tenant_id.value}")
        return self.run(work)


@click.group()
def greet() -> None:
    """A context's group."""


@greet.command("everyone")
def everyone() -> None:
    async def work(services: GreetingServices) -> str:
        return services.greeting()

    click.echo(run(GreetingServices, work))


@greet.command("tenant")
@tenant_option
@click.option("--times", type=int, default=1)
def tenant(tenant_id: TenantId, times: int) -> None:
    model = validated(Greeted, {"text": tenant_id.value, "times": times})

    async def work(services: GreetingServices) -> Greeted:
        return Greeted(text=f"{services.greeting()} {model.text}", times=model.times)

    echo_json(run_for_tenant(GreetingServices, tenant_id, work))


def test_the_runner_is_a_command_runner() -> None:
    assert isinstance(Runner(Services()), CommandRunner)


def test_commands_run_on_the_runners_services_through_the_port() -> None:
    runner = CliRunner()

    everyone_result = runner.invoke(greet, ["everyone"], obj=Runner(Services()))
    tenant_result = runner.invoke(greet, ["tenant", "--tenant", "acme"], obj=Runner(Services()))

    assert everyone_result.output == "hello\n"
    assert json.loads(tenant_result.output) == {"text": "hello acme", "times": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tenant", "--tenant", "Acme!"], "Invalid value for '--tenant': not a tenant id"),
        (["tenant", "--tenant", "acme", "--times", "0"], "times: Input should be greater"),
    ],
)
def test_bad_input_is_a_usage_error(args: list[str], message: str) -> None:
    result = CliRunner().invoke(greet, args, obj=Runner(Services()))

    assert result.exit_code == 2
    assert message in result.output


def test_the_runner_decides_about_the_tenant() -> None:
    result = CliRunner().invoke(greet, ["tenant", "--tenant", "globex"], obj=Runner(Services()))

    assert (result.exit_code, result.output) == (1, "Error: no tenant has the id globex\n")


def test_a_group_run_without_a_deployables_runner_is_refused() -> None:
    result = CliRunner().invoke(greet, ["everyone"])

    assert isinstance(result.exception, TypeError)
    assert str(result.exception) == (
        "click.Context.obj must be the CommandRunner that the deployable's root command"
        " sets; got NoneType"
    )


def test_services_without_the_port_are_refused_naming_it() -> None:
    result = CliRunner().invoke(greet, ["everyone"], obj=Runner(object()))

    assert isinstance(result.exception, TypeError)
    assert str(result.exception) == (
        "the services a command runs on must implement GreetingServices; got object"
    )


# --- output ------------------------------------------------------------------------------


class Item(BaseModel):
    sku: str
    price: Decimal


class ItemPage(BaseModel):
    items: list[Item]
    next_cursor: str | None


COLUMNS: Columns[Item] = {"SKU": lambda item: item.sku, "PRICE": lambda item: item.price}


@click.command()
@click.option("--more", is_flag=True)
@json_option
def items(more: bool, as_json: bool) -> None:
    page = ItemPage(
        items=[Item(sku="MUG-001", price=Decimal("12.50")), Item(sku="PEN-7", price=Decimal(3))],
        next_cursor="eyJza3UiOiJQRU4tNyJ9" if more else None,
    )
    echo_page(page, COLUMNS, as_json=as_json)


def test_a_list_is_a_table_for_a_person() -> None:
    result = CliRunner().invoke(items, [])

    assert result.output == ("SKU      PRICE\n-------  -------\nMUG-001  12.50\nPEN-7    3\n")


def test_a_page_with_more_after_it_says_where_the_next_one_starts() -> None:
    result = CliRunner().invoke(items, ["--more"])

    assert result.output.endswith(
        "PEN-7    3\n\nMore after this page: --after eyJza3UiOiJQRU4tNyJ9\n"
    )


def test_with_json_a_list_is_the_apis_document_indented() -> None:
    result = CliRunner().invoke(items, ["--json", "--more"])

    assert json.loads(result.output) == {
        "items": [{"sku": "MUG-001", "price": "12.50"}, {"sku": "PEN-7", "price": "3"}],
        "next_cursor": "eyJza3UiOiJQRU4tNyJ9",
    }
    assert result.output.startswith('{\n  "items": [\n')


# --- running a command -------------------------------------------------------------------


class EngineServices:
    def __init__(self) -> None:
        self.engine = create_async_engine("sqlite+aiosqlite://")
        self.pool = self.engine.pool

    @property
    def disposed(self) -> bool:
        return self.engine.pool is not self.pool  # dispose() puts a fresh pool in its place


@pytest.mark.parametrize(
    ("error", "exception", "status"),
    [
        (InvalidValueError("not a colour: 'plaid'"), click.UsageError, 2),
        (InvariantViolationError("a thing needs a name"), click.ClickException, 1),
        (ConcurrencyConflictError("changed by someone else"), click.ClickException, 1),
    ],
)
def test_errors_a_person_caused_become_messages_and_exit_statuses(
    error: Exception, exception: type[click.ClickException], status: int
) -> None:
    made: list[EngineServices] = []

    def make() -> EngineServices:
        made.append(EngineServices())
        return made[-1]

    async def work(_: EngineServices) -> None:
        raise error

    with pytest.raises(exception, match=re.escape(str(error))) as raised:
        run_on_fresh_services(make, work)

    assert raised.value.exit_code == status
    assert made[0].disposed


def test_a_bug_is_left_to_end_with_a_traceback_and_the_services_are_disposed() -> None:
    services = EngineServices()

    async def work(_: EngineServices) -> None:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):
        run_on_fresh_services(lambda: services, work)

    assert services.disposed


# --- db upgrade --------------------------------------------------------------------------

FIRST = Revision("0001", "Create the customers table.")
SECOND = Revision("0002", "Add the customers' phone numbers.")


@pytest.mark.parametrize(
    ("upgrade", "output"),
    [
        (
            SchemaUpgrade(None, "0002", (FIRST, SECOND)),
            "Created the schema at revision 0002, applying:\n"
            "  0001  Create the customers table.\n"
            "  0002  Add the customers' phone numbers.\n",
        ),
        (
            SchemaUpgrade("0001", "0002", (SECOND,)),
            "Upgraded the schema from revision 0001 to 0002:\n"
            "  0002  Add the customers' phone numbers.\n",
        ),
        (
            SchemaUpgrade("0002", "0002", ()),
            "The schema is at revision 0002 already; nothing to apply.\n",
        ),
    ],
    ids=["empty", "older", "current"],
)
def test_db_upgrade_says_what_it_did(upgrade: SchemaUpgrade, output: str) -> None:
    result = CliRunner().invoke(db_group(lambda: upgrade), ["upgrade"])

    assert (result.exit_code, result.output) == (0, output)
