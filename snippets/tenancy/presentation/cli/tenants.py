"""``shop tenants``: register and list the tenants from the command line."""

import click

from infrastructure_kernel.cli.output import Columns, echo_json, echo_table, json_option
from infrastructure_kernel.cli.runner import run
from shared_kernel.tenancy import TenantId
from tenancy.application.dto.tenant_views import TenantView
from tenancy.domain.entities.tenant import Tenant
from tenancy.presentation.api.dependencies import TenancyServices

COLUMNS: Columns[TenantView] = {
    "TENANT": lambda tenant: tenant.tenant_id,
    "NAME": lambda tenant: tenant.name,
    "REGISTERED": lambda tenant: tenant.created_at.isoformat(timespec="seconds"),
}


@click.group()
def tenants() -> None:
    """Register and list the tenants the shop serves."""


@tenants.command("add")
@click.argument("slug")
@click.argument("name")
def add_tenant(slug: str, name: str) -> None:
    """Register the tenant SLUG, named NAME, and print it as JSON."""

    async def add(services: TenancyServices) -> TenantView:
        tenant = Tenant(TenantId(slug), name.strip(), services.clock.now())
        await services.tenant_directory().add(tenant)
        return TenantView.from_tenant(tenant)

    echo_json(run(TenancyServices, add))


@tenants.command("list")
@json_option
def list_tenants(as_json: bool) -> None:  # noqa: FBT001 - a flag
    """Print every tenant, ordered by id."""

    async def read(services: TenancyServices) -> list[TenantView]:
        return [TenantView.from_tenant(t) for t in await services.tenant_directory().list_all()]

    views = run(TenancyServices, read)
    if as_json:
        echo_json(views)
    else:
        echo_table(views, COLUMNS)
