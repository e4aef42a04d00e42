"""``shop products``: the catalog from the command line.

Each command validates its input with the catalog's own input models, runs one use case
or query for one ``--tenant`` and prints the result: a product as the API's JSON, the
list as a table (or, with ``--json``, as the API's JSON). It reaches them through
:class:`~catalog.presentation.api.dependencies.CatalogServices`, the port the endpoints
use too, on the services of whatever runs the command.
"""

from collections.abc import Awaitable, Callable
from uuid import UUID

import click

from catalog.application.dto.product_commands import (
    DEFAULT_PAGE_SIZE,
    AddProduct,
    DiscontinueProduct,
    ListProducts,
    RepriceProduct,
)
from catalog.application.dto.product_views import ProductPage, ProductView
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.application.use_cases.add_product import add_product
from catalog.application.use_cases.discontinue_product import discontinue_product
from catalog.application.use_cases.reprice_product import reprice_product
from catalog.presentation.api.dependencies import CatalogServices
from infrastructure_kernel.cli.options import tenant_option, validated
from infrastructure_kernel.cli.output import Columns, echo_json, echo_page, json_option
from infrastructure_kernel.cli.runner import run_for_tenant
from shared_kernel.authorization import OPERATOR
from shared_kernel.tenancy import TenantId


@click.group()
def products() -> None:
    """List and change a tenant's products."""


# --8<-- [start:products-list]
COLUMNS: Columns[ProductView] = {
    "ID": lambda product: product.id,
    "SKU": lambda product: product.sku,
    "NAME": lambda product: product.name,
    "PRICE": lambda product: f"{product.price.amount} {product.price.currency}",
    "ACTIVE": lambda product: "yes" if product.active else "no",
}


@products.command("list")
@tenant_option
@click.option("--after", help="The next_cursor of the previous page.")
@click.option("--limit", type=int, default=DEFAULT_PAGE_SIZE, show_default=True)
@json_option
def list_products(tenant_id: TenantId, after: str | None, limit: int, as_json: bool) -> None:  # noqa: FBT001 - a flag
    """Print one page of the tenant's products in SKU order, with the next cursor."""
    page = validated(ListProducts, {"after": after, "limit": limit})

    async def read(services: CatalogServices) -> ProductPage:
        return await services.product_queries(tenant_id).list_page(
            after=page.after, limit=page.limit
        )

    echo_page(run_for_tenant(CatalogServices, tenant_id, read), COLUMNS, as_json=as_json)


# --8<-- [end:products-list]


def _change(
    tenant_id: TenantId, handler: Callable[[CatalogUnitOfWork], Awaitable[ProductView]]
) -> None:
    """Run one of the catalog's use cases on a fresh unit of work; print the result."""

    async def work(services: CatalogServices) -> ProductView:
        return await handler(services.catalog_unit_of_work(tenant_id))

    echo_json(run_for_tenant(CatalogServices, tenant_id, work))


@products.command("add")
@tenant_option
@click.argument("sku")
@click.argument("name")
@click.argument("amount")
@click.argument("currency")
def add(tenant_id: TenantId, sku: str, name: str, amount: str, currency: str) -> None:
    """Add a product SKU named NAME at AMOUNT CURRENCY (for example MUG-001 Mug 12.50 EUR)."""
    price = {"amount": amount, "currency": currency}
    command = validated(AddProduct, {"sku": sku, "name": name, "price": price})

    _change(tenant_id, lambda uow: add_product(command, uow, actor=OPERATOR))


@products.command("reprice")
@tenant_option
@click.argument("product_id", type=click.UUID)
@click.argument("amount")
@click.argument("currency")
def reprice(tenant_id: TenantId, product_id: UUID, amount: str, currency: str) -> None:
    """Change the price of PRODUCT_ID to AMOUNT CURRENCY (the currency it has)."""
    price = {"amount": amount, "currency": currency}
    command = validated(RepriceProduct, {"product_id": product_id, "price": price})

    _change(tenant_id, lambda uow: reprice_product(command, uow, actor=OPERATOR))


@products.command("discontinue")
@tenant_option
@click.argument("product_id", type=click.UUID)
def discontinue(tenant_id: TenantId, product_id: UUID) -> None:
    """Stop selling PRODUCT_ID; it stays listed as inactive."""
    command = DiscontinueProduct(product_id=product_id)

    _change(tenant_id, lambda uow: discontinue_product(command, uow, actor=OPERATOR))
