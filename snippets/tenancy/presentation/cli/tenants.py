"""``shop tenants``: register and list the tenants from the command line."""

import json
from typing import Any

import click

from infrastructure_kernel.cli.runner import run
from shared_kernel.tenancy import TenantId
from tenancy.domain.entities.tenant import Tenant
from tenancy.presentation.api.dependencies import TenancyServices


@click.group()
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

    async def add(services: TenancyServices) -> Tenant:
        tenant = Tenant(TenantId(slug), name.strip(), services.clock.now())
        await services.tenant_directory().add(tenant)
        return tenant

    click.echo(json.dumps(tenant_json(run(TenancyServices, add))))


@tenants.command("list")
def list_tenants() -> None:
    """Print every tenant, ordered by id, as JSON."""

    async def read(services: TenancyServices) -> list[Tenant]:
        return list(await services.tenant_directory().list_all())

    click.echo(json.dumps([tenant_json(tenant) for tenant in run(TenancyServices, read)], indent=2))
