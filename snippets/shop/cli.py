"""The ``shop`` command: run the API, manage the schema, the tenants and demo data.

Click commands are synchronous; each one that needs the database runs one coroutine
with ``asyncio.run``, on services built from the environment and disposed afterwards
(:func:`shop.cli_runner.run_with_services`). The contexts add their own groups
(``shop products``, ``shop orders``) to :func:`cli`.
"""

import json
from typing import Any

import click
import uvicorn

from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.cli_orders import orders
from shop.cli_products import products
from shop.cli_runner import run_with_services
from shop.database.schema import upgrade_schema
from shop.seed import seed
from shop.settings import Settings
from shop.tenants import Tenant, TenantDirectory


@click.group()
def cli() -> None:
    """Run and administer the shop.

    The database comes from DATABASE_URL (default: ./shop.db, SQLite).
    """


# --8<-- [start:serve]
@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, help="TCP port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the HTTP API until interrupted."""
    # By name, as a factory: uvicorn builds the app itself, exactly as
    # `python -m uvicorn --factory shop.api.application:app_from_environment` does.
    uvicorn.run(
        "shop.api.application:app_from_environment",
        factory=True,
        host=host,
        port=port,
        log_level=Settings().log_level.lower(),
    )


# --8<-- [end:serve]


# --8<-- [start:db-upgrade]
@cli.group()
def db() -> None:
    """Manage the database schema."""


@db.command()
def upgrade() -> None:
    """Create or upgrade the schema by applying the migrations; safe to repeat."""
    run_with_services(lambda services: upgrade_schema(services.engine))
    click.echo("Database schema is up to date.")


# --8<-- [end:db-upgrade]


@cli.group()
def tenants() -> None:
    """Register and list the tenants the shop serves."""


def tenant_json(tenant: Tenant) -> dict[str, Any]:
    """A tenant as a JSON object."""
    return {
        "tenant_id": tenant.tenant_id.value,
        "name": tenant.name,
        "created_at": tenant.created_at.isoformat(),
    }


@tenants.command("add")
@click.argument("slug")
@click.argument("name")
def add_tenant(slug: str, name: str) -> None:
    """Register the tenant SLUG, named NAME, and print it as JSON."""

    async def add(services: Services) -> Tenant:
        tenant = Tenant(TenantId(slug), name.strip(), services.clock.now())
        await TenantDirectory(services.engine).add(tenant)
        return tenant

    click.echo(json.dumps(tenant_json(run_with_services(add))))


@tenants.command("list")
def list_tenants() -> None:
    """Print every tenant, ordered by id, as JSON."""
    found = run_with_services(lambda services: TenantDirectory(services.engine).list_all())
    click.echo(json.dumps([tenant_json(tenant) for tenant in found], indent=2))


@cli.command("seed")
def seed_command() -> None:
    """Add the demo tenants and their demo data, where missing; safe to repeat."""
    seeded = run_with_services(seed)
    click.echo(f"Demo data is in place for {', '.join(t.value for t in seeded)}.")


# The contexts' groups, written here since contexts do not import the platform.
cli.add_command(products)
cli.add_command(orders)
