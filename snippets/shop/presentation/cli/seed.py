"""``shop seed``: a few demo tenants, and whatever the contexts add for each of them.

Seeding is idempotent: it adds only what is missing, so running it twice changes
nothing, and a shop seeded by an older version can be seeded again after an upgrade.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from uuid import UUID

import click

from catalog.application.dto.product_commands import MAX_PAGE_SIZE, AddProduct
from catalog.application.interfaces.product_queries import ProductQueries
from catalog.application.use_cases.add_product import add_product
from catalog.domain.errors import SkuAlreadyExistsError
from ordering.application.dto.order_commands import CancelOrder, PayOrder, PlaceOrder, ShipOrder
from ordering.application.dto.order_views import OrderDetails
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.pay_order import pay_order
from ordering.application.use_cases.place_order import place_order
from ordering.application.use_cases.ship_order import ship_order
from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.authorization import OPERATOR
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.presentation.cli.runner import command_runner
from tenancy.domain.entities.tenant import Tenant

DEMO_TENANTS = (("acme", "Acme Corporation"), ("globex", "Globex Corporation"))

# A context's demo data for one tenant; it must add only what is missing, too.
SeedStep = Callable[[Services, TenantId], Awaitable[None]]

# --8<-- [start:seed-products]
DEMO_PRODUCTS = (
    ("MUG-001", "Enamel mug", "12.50"),
    ("TEE-001", "Organic cotton T-shirt", "24.90"),
    ("BAG-001", "Canvas tote bag", "9.95"),
    ("PEN-001", "Fountain pen", "34.00"),
    ("NOTE-001", "Dotted notebook A5", "7.50"),
)
"""SKU, name and price in EUR of each demo product, the same for every demo tenant."""


async def seed_products(services: Services, tenant_id: TenantId) -> None:
    """Add the demo products the tenant does not have yet, through the catalog's handler."""
    for sku, name, amount in DEMO_PRODUCTS:
        price = {"amount": amount, "currency": "EUR"}
        command = AddProduct.model_validate({"sku": sku, "name": name, "price": price})
        # The handler's own check finds a SKU that is already there; catching its error
        # keeps the step idempotent without reading the whole catalog first.
        with suppress(SkuAlreadyExistsError):
            await add_product(command, services.catalog_unit_of_work(tenant_id), actor=OPERATOR)


# --8<-- [end:seed-products]

# --8<-- [start:seed-orders]
# How a demo order reaches each status after it was placed.
OrderMove = Callable[[UUID, OrderingUnitOfWork], Awaitable[OrderDetails]]
MOVES: Mapping[OrderStatus, OrderMove] = {
    OrderStatus.PAID: lambda order_id, uow: pay_order(
        PayOrder(order_id=order_id), uow, actor=OPERATOR
    ),
    OrderStatus.SHIPPED: lambda order_id, uow: ship_order(
        ShipOrder(order_id=order_id), uow, actor=OPERATOR
    ),
    OrderStatus.CANCELLED: lambda order_id, uow: cancel_order(
        CancelOrder(order_id=order_id), uow, actor=OPERATOR
    ),
}

DEMO_ORDERS: tuple[tuple[str, tuple[tuple[str, int], ...], tuple[OrderStatus, ...]], ...] = (
    ("demo-order-1", (("MUG-001", 2), ("NOTE-001", 1)), ()),
    ("demo-order-2", (("TEE-001", 1),), (OrderStatus.PAID,)),
    ("demo-order-3", (("PEN-001", 1), ("BAG-001", 3)), (OrderStatus.PAID, OrderStatus.SHIPPED)),
    ("demo-order-4", (("BAG-001", 1),), (OrderStatus.CANCELLED,)),
    ("demo-order-5", (("MUG-001", 1), ("PEN-001", 1)), (OrderStatus.PAID, OrderStatus.CANCELLED)),
)
"""Idempotency key, lines (SKU, quantity) and the statuses each demo order goes through."""


async def seed_orders(services: Services, tenant_id: TenantId) -> None:
    """Place the demo orders the tenant does not have yet, and move each along its way.

    Each is placed with an idempotency key of its own, so placing it again is a replay
    that changes nothing; a replayed order is left in whatever status it is now.
    """
    product_ids = await _product_ids_by_sku(services.product_queries(tenant_id))
    for key, lines, statuses in DEMO_ORDERS:
        command = PlaceOrder.model_validate(
            {"lines": [{"product_id": product_ids[sku], "quantity": n} for sku, n in lines]}
        )
        placed = await place_order(
            command,
            services.ordering_unit_of_work(tenant_id),
            services.clock,
            key,
            actor=OPERATOR,  # the command line's: whoever runs it holds the database
        )
        if placed.replayed:
            continue
        for status in statuses:
            await MOVES[status](placed.order.id, services.ordering_unit_of_work(tenant_id))


async def _product_ids_by_sku(queries: ProductQueries) -> dict[str, UUID]:
    ids: dict[str, UUID] = {}
    after: str | None = None
    while True:
        page = await queries.list_page(after=after, limit=MAX_PAGE_SIZE)
        ids.update((product.sku, product.id) for product in page.items)
        if page.next_cursor is None:
            return ids
        after = page.next_cursor


# --8<-- [end:seed-orders]

# --8<-- [start:seed-steps]
# The contexts' seed steps, run in this order for every demo tenant (products before
# the orders that refer to them).
SEED_STEPS: Sequence[SeedStep] = (seed_products, seed_orders)
# --8<-- [end:seed-steps]


# --8<-- [start:seed]
async def seed(services: Services, steps: Sequence[SeedStep] = SEED_STEPS) -> list[TenantId]:
    """Register the missing demo tenants, then run every step for each of them.

    Returns:
        The demo tenants, in the order they were seeded.
    """
    directory = services.tenant_directory()
    seeded: list[TenantId] = []
    for slug, name in DEMO_TENANTS:
        tenant_id = TenantId(slug)
        if await directory.get(tenant_id) is None:
            await directory.add(Tenant(tenant_id, name, services.clock.now()))
        for step in steps:
            await step(services, tenant_id)
        seeded.append(tenant_id)
    return seeded


# --8<-- [end:seed]


@click.command("seed")
def seed_command() -> None:
    """Add the demo tenants and their demo data, where missing; safe to repeat."""
    seeded = command_runner().run(seed)
    click.echo(f"Demo data is in place for {', '.join(t.value for t in seeded)}.")
