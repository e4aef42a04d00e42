"""The outbox writer the contexts' units of work are given."""

import json
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared_kernel.events import DomainEvent
from shop.infrastructure.database.outbox import write_events
from shop.infrastructure.database.tables import outbox
from tenancy.domain.entities.tenant import Tenant

pytestmark = pytest.mark.anyio


@dataclass(frozen=True, kw_only=True)
class ProductRepriced(DomainEvent):
    product_id: UUID
    price: Decimal


async def test_events_are_written_with_their_tenant_and_a_json_payload(
    engine: AsyncEngine, acme: Tenant
) -> None:
    event = ProductRepriced(product_id=uuid4(), price=Decimal("12.50"))

    async with engine.begin() as connection:
        await write_events(connection, acme.tenant_id, [event])

    async with engine.connect() as connection:
        [row] = (await connection.execute(select(outbox))).mappings().all()
    assert (row["event_id"], row["tenant_id"]) == (event.event_id, "acme")
    assert (row["event_name"], row["occurred_at"]) == ("ProductRepriced", event.occurred_at)
    assert json.loads(row["payload"]) == {
        "event_id": str(event.event_id),
        "occurred_at": event.occurred_at.isoformat(sep=" "),
        "product_id": str(event.product_id),
        "price": "12.50",
    }


async def test_events_roll_back_with_the_transaction(engine: AsyncEngine, acme: Tenant) -> None:
    async def write_then_fail() -> None:
        async with engine.begin() as connection:
            event = ProductRepriced(product_id=uuid4(), price=Decimal(1))
            await write_events(connection, acme.tenant_id, [event])
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError, match="the change failed"):
        await write_then_fail()

    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(outbox)) == 0


async def test_no_events_write_nothing(engine: AsyncEngine, acme: Tenant) -> None:
    async with engine.begin() as connection:
        await write_events(connection, acme.tenant_id, [])
        assert await connection.scalar(select(func.count()).select_from(outbox)) == 0
