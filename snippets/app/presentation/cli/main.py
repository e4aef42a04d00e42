"""The ``app`` command: run the API, manage the schema, work with customers.

Click commands are synchronous; each one that needs the database runs one coroutine
with ``asyncio.run``, on services built from the environment and disposed afterwards.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
import pydantic
import uvicorn

from app.application.dto.customer_commands import ListCustomers, RegisterCustomer
from app.application.use_cases.list_customers import list_customers
from app.application.use_cases.register_customer import register_customer
from app.bootstrap import Services, bootstrap
from app.infrastructure.database.schema import upgrade_schema
from app.presentation.api.application import create_app
from app.settings import Settings
from shared_kernel.errors import DomainError

T = TypeVar("T")
ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


# --8<-- [start:run-with-services]
def run_with_services(work: Callable[[Services], Awaitable[T]]) -> T:
    """Run ``work`` on freshly built services and dispose of them afterwards.

    Raises:
        click.ClickException: ``work`` broke a business rule; Click prints the message
            and exits with status 1 instead of showing a traceback.
    """

    async def main() -> T:
        services = bootstrap(Settings())
        try:
            return await work(services)
        except DomainError as error:
            raise click.ClickException(str(error)) from error
        finally:
            await services.engine.dispose()

    return asyncio.run(main())


# --8<-- [end:run-with-services]


def parse_input(model: type[ModelT], **fields: object) -> ModelT:
    """Validate command-line input with the same model the HTTP API uses.

    Raises:
        click.UsageError: A field is invalid; the message names each one.
    """
    try:
        return model.model_validate(fields)
    except pydantic.ValidationError as error:
        problems = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in error.errors())
        raise click.UsageError(problems) from error


@click.group()
def cli() -> None:
    """Run and administer the customer directory service.

    The database comes from DATABASE_URL (default: ./app.db, SQLite).
    """


# --8<-- [start:serve]
@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, help="TCP port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the HTTP API until interrupted."""
    uvicorn.run(create_app(bootstrap(Settings())), host=host, port=port)


# --8<-- [end:serve]


@cli.group()
def db() -> None:
    """Manage the database schema."""


@db.command()
def init() -> None:
    """Create or upgrade the schema by applying the migrations; safe to repeat."""
    run_with_services(lambda services: upgrade_schema(services.engine))
    click.echo("Database schema is up to date.")


@cli.group()
def customers() -> None:
    """Work with the customer directory."""


# --8<-- [start:register-command]
@customers.command("register")
@click.argument("email")
@click.argument("name")
def register_command(email: str, name: str) -> None:
    """Register a customer and print it as JSON."""
    command = parse_input(RegisterCustomer, email=email, name=name)
    customer = run_with_services(
        lambda services: register_customer(command, services.unit_of_work(), services.clock)
    )
    click.echo(customer.model_dump_json())


# --8<-- [end:register-command]


@customers.command("list")
@click.option("--offset", default=0, show_default=True, help="Customers to skip.")
@click.option("--limit", default=20, show_default=True, help="Page size (1-100).")
def list_command(offset: int, limit: int) -> None:
    """Print one page of customers, in e-mail order, as JSON."""
    query = parse_input(ListCustomers, offset=offset, limit=limit)
    page = run_with_services(lambda services: list_customers(query, services.unit_of_work()))
    click.echo(page.model_dump_json(indent=2))
