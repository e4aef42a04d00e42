"""The ``app`` command: run the API, manage the schema, work with customers.

Click commands are synchronous; each one that needs the database runs one coroutine on
services built from the environment and disposed afterwards (:func:`run_with_services`).
What a command prints follows the handbook's one rule (:mod:`infrastructure_kernel.cli.output`):
one customer as the API's JSON, a list as a table or, with ``--json``, as the API's JSON.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from app.application.dto.customer_commands import (
    DEFAULT_PAGE_SIZE,
    ListCustomers,
    RegisterCustomer,
)
from app.application.dto.customer_views import CustomerPage, CustomerView
from app.application.use_cases.register_customer import register_customer
from app.bootstrap import Services, bootstrap
from app.infrastructure.database.schema import MIGRATIONS
from app.presentation.api.application import create_app
from app.settings import Settings
from infrastructure_kernel.cli.options import validated
from infrastructure_kernel.cli.output import (
    Columns,
    echo_json,
    echo_page,
    json_option,
)
from infrastructure_kernel.cli.runner import run_on_fresh_services
from infrastructure_kernel.cli.schema import db_group
from infrastructure_kernel.cli.serve import limit_options, settings_with
from infrastructure_kernel.database.migrations import SchemaUpgrade
from infrastructure_kernel.http.server import serve_http

T = TypeVar("T")


# --8<-- [start:run-with-services]
def run_with_services(work: Callable[[Services], Awaitable[T]]) -> T:
    """Run ``work`` on services built from the environment, then dispose of them."""
    return run_on_fresh_services(lambda: bootstrap(Settings()), work)


# --8<-- [end:run-with-services]


@click.group()
def cli() -> None:
    """Run and administer the customer directory service.

    The database comes from DATABASE_URL (default: ./app.db, SQLite).
    """


# --8<-- [start:serve]
@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, help="TCP port to listen on.")
@limit_options
def serve(host: str, port: int, **limits: float | None) -> None:
    """Serve the HTTP API until interrupted.

    Each limit is a setting too, named in brackets; an option given here overrides it.
    """
    settings = settings_with(Settings, limits)
    serve_http(lambda: create_app(bootstrap(settings)), settings, host=host, port=port)


# --8<-- [end:serve]


def upgrade_schema() -> SchemaUpgrade:
    """Apply the pending migrations to the database in DATABASE_URL."""
    return run_with_services(lambda services: MIGRATIONS.upgrade(services.engine))


cli.add_command(db_group(upgrade_schema))


@cli.group()
def customers() -> None:
    """Work with the customer directory."""


# --8<-- [start:register-command]
@customers.command("register")
@click.argument("email")
@click.argument("name")
def register_command(email: str, name: str) -> None:
    """Register a customer and print it as JSON."""
    command = validated(RegisterCustomer, {"email": email, "name": name})

    async def register(services: Services) -> CustomerView:
        return await register_customer(command, services.unit_of_work(), services.clock)

    echo_json(run_with_services(register))


# --8<-- [end:register-command]


# --8<-- [start:list-command]
COLUMNS: Columns[CustomerView] = {
    "ID": lambda customer: customer.id,
    "E-MAIL": lambda customer: customer.email,
    "NAME": lambda customer: customer.name,
    "ACTIVE": lambda customer: "yes" if customer.active else "no",
}


@customers.command("list")
@click.option("--after", help="The next_cursor of the previous page.")
@click.option("--limit", type=int, default=DEFAULT_PAGE_SIZE, show_default=True)
@json_option
def list_command(after: str | None, limit: int, as_json: bool) -> None:  # noqa: FBT001 - a flag
    """Print one page of customers in e-mail order, with the next cursor."""
    page = validated(ListCustomers, {"after": after, "limit": limit})

    async def read(services: Services) -> CustomerPage:
        return await services.customer_queries().list_page(after=page.after, limit=page.limit)

    echo_page(run_with_services(read), COLUMNS, as_json=as_json)


# --8<-- [end:list-command]
