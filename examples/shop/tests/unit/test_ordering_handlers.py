"""Paying, shipping and cancelling orders on fakes: the state machine through the handlers."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from ordering.application.dto.order_commands import CancelOrder, PayOrder, ShipOrder
from ordering.application.dto.order_views import OrderDetails
from ordering.application.interfaces.order_queries import OrderQueriesFactory
from ordering.application.interfaces.unit_of_work import (
    OrderingUnitOfWork,
    OrderingUnitOfWorkFactory,
)
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.pay_order import pay_order
from ordering.application.use_cases.ship_order import ship_order
from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.errors import InvalidOrderTransitionError, OrderNotFoundError
from ordering.domain.events.order_events import OrderCancelled, OrderPaid, OrderPlaced, OrderShipped
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.domain.value_objects.quantity import Quantity
from shared_kernel.authorization import OPERATOR
from shared_kernel.events import DomainEvent
from shared_kernel.money import Money
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId

pytestmark = pytest.mark.anyio

ACME = TenantId("acme")
Handler = Callable[[UUID, OrderingUnitOfWork], Awaitable[OrderDetails]]


def pay(order_id: UUID, uow: OrderingUnitOfWork) -> Awaitable[OrderDetails]:
    return pay_order(PayOrder(order_id=order_id), uow, actor=OPERATOR)


def ship(order_id: UUID, uow: OrderingUnitOfWork) -> Awaitable[OrderDetails]:
    return ship_order(ShipOrder(order_id=order_id), uow, actor=OPERATOR)


def cancel(order_id: UUID, uow: OrderingUnitOfWork) -> Awaitable[OrderDetails]:
    return cancel_order(CancelOrder(order_id=order_id), uow, actor=OPERATOR)


async def placed_order(new_uow: OrderingUnitOfWorkFactory, tenant: TenantId = ACME) -> UUID:
    order = Order.place(
        tenant,
        OrderId.new(),
        lines=[
            OrderLine(
                product_id=uuid4(),
                sku="MUG-001",
                name="Mug",
                unit_price=Money(Decimal("12.50"), "EUR"),
                quantity=Quantity(1),
            )
        ],
        placed_at=datetime(2025, 3, 14, tzinfo=UTC),
    )
    async with new_uow(tenant) as uow:
        await uow.orders.add(order)
        await uow.commit()
    return order.id.value


async def test_an_order_is_paid_then_shipped(
    new_ordering_uow: OrderingUnitOfWorkFactory,
    order_queries: OrderQueriesFactory,
    outbox: list[DomainEvent],
) -> None:
    order_id = await placed_order(new_ordering_uow)

    paid = await pay(order_id, new_ordering_uow(ACME))
    shipped = await ship(order_id, new_ordering_uow(ACME))

    assert (paid.status, shipped.status) == (OrderStatus.PAID, OrderStatus.SHIPPED)
    assert await order_queries(ACME).get(order_id) == shipped
    assert [type(event) for event in outbox] == [OrderPlaced, OrderPaid, OrderShipped]


@pytest.mark.parametrize("paid_first", [False, True], ids=["placed", "paid"])
async def test_an_order_that_has_not_shipped_can_be_cancelled(
    new_ordering_uow: OrderingUnitOfWorkFactory, outbox: list[DomainEvent], paid_first: bool
) -> None:
    order_id = await placed_order(new_ordering_uow)
    if paid_first:
        await pay(order_id, new_ordering_uow(ACME))

    cancelled = await cancel(order_id, new_ordering_uow(ACME))

    assert cancelled.status is OrderStatus.CANCELLED
    assert isinstance(outbox[-1], OrderCancelled)


@pytest.mark.parametrize(
    ("history", "handler", "message"),
    [
        ([], ship, "from placed to shipped"),
        ([pay], pay, "from paid to paid"),
        ([pay, ship], cancel, "from shipped to cancelled"),
        ([cancel], pay, "from cancelled to paid"),
        ([cancel], cancel, "from cancelled to cancelled"),
    ],
    ids=["ship-unpaid", "pay-twice", "cancel-shipped", "pay-cancelled", "cancel-twice"],
)
async def test_a_refused_transition_changes_nothing(
    new_ordering_uow: OrderingUnitOfWorkFactory,
    order_queries: OrderQueriesFactory,
    history: list[Handler],
    handler: Handler,
    message: str,
) -> None:
    order_id = await placed_order(new_ordering_uow)
    for step in history:
        await step(order_id, new_ordering_uow(ACME))
    before = await order_queries(ACME).get(order_id)

    with pytest.raises(InvalidOrderTransitionError, match=message):
        await handler(order_id, new_ordering_uow(ACME))

    assert await order_queries(ACME).get(order_id) == before


@pytest.mark.parametrize("handler", [pay, ship, cancel])
async def test_another_tenants_order_is_not_found(
    new_ordering_uow: OrderingUnitOfWorkFactory,
    order_queries: OrderQueriesFactory,
    handler: Handler,
) -> None:
    theirs = await placed_order(new_ordering_uow, tenant=TenantId("globex"))

    with pytest.raises(OrderNotFoundError, match=str(theirs)):
        await handler(theirs, new_ordering_uow(ACME))

    assert (await order_queries(TenantId("globex")).get(theirs)).status is OrderStatus.PLACED


async def test_a_concurrent_change_loses_with_a_conflict(
    new_ordering_uow: OrderingUnitOfWorkFactory, order_queries: OrderQueriesFactory
) -> None:
    order_id = await placed_order(new_ordering_uow)
    stale = new_ordering_uow(ACME)

    async with stale:
        order = await stale.orders.get(OrderId(order_id))
        assert order is not None
        await pay(order_id, new_ordering_uow(ACME))
        order.cancel()  # allowed from "placed", the state this copy was loaded in
        with pytest.raises(ConcurrencyConflictError):
            await stale.commit()

    assert (await order_queries(ACME).get(order_id)).status is OrderStatus.PAID
