"""A changed aggregate that nobody holds any more still has its events stored.

A handler may change an aggregate it does not keep (``(await load_order(...)).pay()``).
The infrastructure kernel's ``TrackedRepository`` holds what it loaded until the commit;
an ORM session's identity map holds objects weakly, and a unit of work on one lost such
an event without any other test noticing (ADR 24).
"""

import json

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.repositories.order_repository import load_order
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.quantity import Quantity
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.database.tables import outbox

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tenants")]

ACME = TenantId("acme")


async def test_the_events_of_an_aggregate_changed_and_let_go_are_stored(
    services: Services, engine: AsyncEngine
) -> None:
    line = OrderLine(
        product_id=OrderId.new().value,
        sku="MUG-001",
        name="Mug",
        unit_price=Money.from_minor_units(1000, "EUR"),
        quantity=Quantity(1),
    )
    placed = Order.place(ACME, OrderId.new(), lines=[line], placed_at=services.clock.now())
    async with services.ordering_unit_of_work(ACME) as uow:
        await uow.orders.add(placed)
        await uow.commit()

    async with services.ordering_unit_of_work(ACME) as uow:
        (await load_order(uow.orders, placed.id)).pay()  # nobody keeps the order
        await uow.commit()

    async with engine.connect() as connection:
        rows = (await connection.execute(select(outbox.c.event_name, outbox.c.payload))).all()
    assert [name for name, _ in rows] == ["OrderPlaced", "OrderPaid"]
    assert json.loads(rows[1].payload)["order_id"] == str(placed.id)
