"""``shop orders``: ordering from the command line.

Each command validates its input with ordering's own input models, runs one use case or
query for one ``--tenant`` and prints the result: an order as the API's JSON, the list as
a table (or, with ``--json``, as the API's JSON). It reaches them through
:class:`~ordering.presentation.api.dependencies.OrderingServices`, the port the endpoints
use too, on the services of whatever runs the command.
"""

import re
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import click

from infrastructure_kernel.cli.options import tenant_option, validated
from infrastructure_kernel.cli.output import Columns, echo_json, echo_page, json_option
from infrastructure_kernel.cli.runner import run_for_tenant
from infrastructure_kernel.remedies import Explained
from ordering.application.dto.order_commands import (
    DEFAULT_PAGE_SIZE,
    CancelOrder,
    ListOrders,
    PayOrder,
    PlaceOrder,
    ShipOrder,
)
from ordering.application.dto.order_views import OrderDetails, OrderPage
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.pay_order import pay_order
from ordering.application.use_cases.place_order import PlacedOrder, place_order
from ordering.application.use_cases.ship_order import ship_order
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.presentation.api.dependencies import OrderingServices
from shared_kernel.authorization import OPERATOR
from shared_kernel.tenancy import TenantId

LINE_FORMAT = "PRODUCT_ID:QTY"
QUANTITY = re.compile(r"-?[0-9]+")  # the sign passes, so that PlaceOrder names the rule


class MalformedLine(Explained, click.BadParameter):
    """An order line that is not ``PRODUCT_ID:QTY``."""

    looks_like = "Error: Invalid value for '--line': 'TEXT' is not PRODUCT_ID:QTY, e.g. ..."
    cause = "A line's quantity is missing or not a whole number."
    fix = "Give each line as the product's id, a colon and a quantity: --line ID:2."


def _order_lines(
    _ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[dict[str, Any]]:
    # Only the shape is checked here; PlaceOrder checks the id and the quantity.
    lines: list[dict[str, Any]] = []
    for value in values:
        product_id, _, quantity = value.rpartition(":")
        # ASCII digits only: int() would also take " 2", "1_000" and other scripts' digits.
        if not QUANTITY.fullmatch(quantity):
            message = f"{value!r} is not {LINE_FORMAT}, e.g. 3f2b...e9:2"
            raise MalformedLine(message, param=param)
        lines.append({"product_id": product_id, "quantity": int(quantity)})
    return lines


@click.group()
def orders() -> None:
    """Place, list and move along a tenant's orders."""


# --8<-- [start:orders-place]
@orders.command("place")
@tenant_option
@click.option(
    "--line",
    "lines",
    multiple=True,
    required=True,
    callback=_order_lines,
    metavar=LINE_FORMAT,
    help="A product and how many of it; repeat for more lines.",
)
@click.option(
    "--idempotency-key",
    help="Makes retrying safe: a retry with the same key prints the order placed first.",
)
@click.option("--email", help="The customer's address, for e-mails about the order.")
def place(
    tenant_id: TenantId,
    lines: list[dict[str, Any]],
    idempotency_key: str | None,
    email: str | None,
) -> None:
    """Place an order at the catalog's current prices and print it."""
    command = validated(PlaceOrder, {"lines": lines, "customer_email": email})

    async def work(services: OrderingServices) -> PlacedOrder:
        return await place_order(
            command,
            services.ordering_unit_of_work(tenant_id),
            services.clock,
            idempotency_key,
            actor=OPERATOR,
        )

    placed = run_for_tenant(OrderingServices, tenant_id, work)
    if placed.replayed:
        click.echo("An earlier request with this key placed the order; nothing changed.", err=True)
    echo_json(placed.order)


# --8<-- [end:orders-place]


@orders.command("show")
@tenant_option
@click.argument("order_id", type=click.UUID)
def show(tenant_id: TenantId, order_id: UUID) -> None:
    """Print the order ORDER_ID with its lines and total."""

    async def read(services: OrderingServices) -> OrderDetails:
        return await services.order_queries(tenant_id).get(order_id)

    echo_json(run_for_tenant(OrderingServices, tenant_id, read))


COLUMNS: Columns[OrderDetails] = {
    "ID": lambda order: order.id,
    "PLACED": lambda order: order.placed_at.isoformat(timespec="seconds"),
    "STATUS": lambda order: order.status.value,
    "LINES": lambda order: len(order.lines),
    "TOTAL": lambda order: f"{order.total.amount} {order.total.currency}",
}


@orders.command("list")
@tenant_option
@click.option("--after", help="The next_cursor of the previous page.")
@click.option("--limit", type=int, default=DEFAULT_PAGE_SIZE, show_default=True)
@click.option(
    "--status", type=click.Choice([s.value for s in OrderStatus]), help="Only these orders."
)
@json_option
def list_orders(
    tenant_id: TenantId,
    after: str | None,
    limit: int,
    status: str | None,
    as_json: bool,  # noqa: FBT001 - a flag
) -> None:
    """Print one page of the tenant's orders, newest first, with the next cursor."""
    page = validated(ListOrders, {"after": after, "limit": limit, "status": status})

    async def read(services: OrderingServices) -> OrderPage:
        return await services.order_queries(tenant_id).list_page(
            after=page.after, limit=page.limit, status=page.status
        )

    echo_page(run_for_tenant(OrderingServices, tenant_id, read), COLUMNS, as_json=as_json)


# --8<-- [start:orders-lifecycle]
def _change(
    tenant_id: TenantId, handler: Callable[[OrderingUnitOfWork], Awaitable[OrderDetails]]
) -> None:
    async def work(services: OrderingServices) -> OrderDetails:
        return await handler(services.ordering_unit_of_work(tenant_id))

    echo_json(run_for_tenant(OrderingServices, tenant_id, work))


@orders.command("pay")
@tenant_option
@click.argument("order_id", type=click.UUID)
def pay(tenant_id: TenantId, order_id: UUID) -> None:
    """Record the payment of the placed order ORDER_ID and print it."""
    command = PayOrder(order_id=order_id)
    _change(tenant_id, lambda uow: pay_order(command, uow, actor=OPERATOR))


@orders.command("ship")
@tenant_option
@click.argument("order_id", type=click.UUID)
def ship(tenant_id: TenantId, order_id: UUID) -> None:
    """Record that the paid order ORDER_ID was shipped and print it."""
    command = ShipOrder(order_id=order_id)
    _change(tenant_id, lambda uow: ship_order(command, uow, actor=OPERATOR))


@orders.command("cancel")
@tenant_option
@click.argument("order_id", type=click.UUID)
def cancel(tenant_id: TenantId, order_id: UUID) -> None:
    """Cancel the order ORDER_ID, unless it was shipped, and print it."""
    command = CancelOrder(order_id=order_id)
    _change(tenant_id, lambda uow: cancel_order(command, uow, actor=OPERATOR))


# --8<-- [end:orders-lifecycle]
