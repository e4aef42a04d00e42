"""Place an order, at most once per idempotency key."""

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from ordering.application.dto.order_commands import PlaceOrder, PlaceOrderLine
from ordering.application.dto.order_views import OrderDetails
from ordering.application.errors import IdempotencyKeyReusedError
from ordering.application.interfaces.idempotency_store import (
    IdempotencyKey,
    StoredResult,
    fingerprint,
)
from ordering.application.interfaces.product_catalog import ProductSnapshot
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.errors import ProductUnavailableError
from ordering.domain.repositories.order_repository import OrderRepository, load_order
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.quantity import Quantity
from shared_kernel.authorization import Actor, Permission
from shared_kernel.clock import Clock
from shared_kernel.tenancy import TenantId


@dataclass(frozen=True)
class PlacedOrder:
    """The outcome of :func:`place_order`.

    Attributes:
        order: The order, as it is now.
        replayed: True when an earlier request with the same idempotency key placed it,
            so this request changed nothing. The HTTP layer may answer a replay with a
            different status than a new order; the body is the same order.
    """

    order: OrderDetails
    replayed: bool


# --8<-- [start:place-order]
async def place_order(
    command: PlaceOrder,
    uow: OrderingUnitOfWork,
    clock: Clock,
    idempotency_key: str | None = None,
    *,
    actor: Actor,
) -> PlacedOrder:
    """Place an order for the listed products at the catalog's current prices.

    With an idempotency key, retrying the same request is safe: the first request
    places the order and remembers the key in the same transaction; a retry finds the
    key and returns that order instead of placing another.

    Args:
        command: The validated request.
        uow: A fresh unit of work for the tenant; this use case is one transaction, and
            the unit of work's catalog says the products' prices and availability.
        clock: Tells the time the order is placed.
        idempotency_key: The client's key for this request, if it sent one.
        actor: Who places it; they need ``orders:place``, and the order records them.

    Raises:
        PermissionDeniedError: The actor may not place orders.
        ProductUnavailableError: A product is unknown or no longer sold.
        DuplicateOrderLineError: A product is on more than one line.
        CurrencyMismatchError: The products are priced in different currencies.
        IdempotencyKeyReusedError: The key was used before for a different request.
        InvalidValueError: The key is empty, too long or not printable.
        ConcurrencyConflictError: A concurrent request with the same key placed its
            order first; retrying returns that order.
    """
    actor.require(Permission.ORDERS_PLACE)  # before anything is read
    key = None if idempotency_key is None else IdempotencyKey(idempotency_key)
    async with uow:
        # --8<-- [start:idempotency]
        if key is not None:
            earlier = await uow.idempotency_keys.recall(key)
            if earlier is not None:
                return await _replay(earlier, key, fingerprint(command), uow.orders)
        # The catalog is read on the transaction's connection, in one statement for all
        # lines: one connection from the pool for the whole request (ADR 71). The prices
        # are those of this moment, which is what placing an order means.
        snapshots = await uow.products.snapshot([line.product_id for line in command.lines])
        order = _new_order(command, uow.tenant_id, snapshots, clock, actor)
        await uow.orders.add(order)
        if key is not None:
            # The same transaction as the order: both are stored, or neither is.
            await uow.idempotency_keys.remember(key, fingerprint(command), order.id.value)
        # --8<-- [end:idempotency]
        await uow.commit()
    return PlacedOrder(order=OrderDetails.from_order(order), replayed=False)


async def _replay(
    earlier: StoredResult, key: IdempotencyKey, request_fingerprint: str, orders: OrderRepository
) -> PlacedOrder:
    if earlier.request_fingerprint != request_fingerprint:
        raise IdempotencyKeyReusedError(key)
    order = await load_order(orders, OrderId(earlier.order_id))
    return PlacedOrder(order=OrderDetails.from_order(order), replayed=True)


def _new_order(
    command: PlaceOrder,
    tenant_id: TenantId,
    snapshots: Mapping[UUID, ProductSnapshot],
    clock: Clock,
    actor: Actor,
) -> Order:
    lines = [_priced(line, snapshots.get(line.product_id)) for line in command.lines]
    return Order.place(
        tenant_id,
        OrderId.new(),
        lines=lines,
        placed_at=clock.now(),
        placed_by=actor.subject,
        customer_email=command.customer_email,
    )


def _priced(line: PlaceOrderLine, snapshot: ProductSnapshot | None) -> OrderLine:
    if snapshot is None or not snapshot.available:
        raise ProductUnavailableError(line.product_id)
    return OrderLine(
        product_id=line.product_id,
        sku=snapshot.sku,
        name=snapshot.name,
        unit_price=snapshot.unit_price,
        quantity=Quantity(line.quantity),
    )


# --8<-- [end:place-order]
