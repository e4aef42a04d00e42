"""The catalog's reaction to ordering's events: how many units of each product were sold.

A projection, kept by the ``catalog.units-sold`` consumer from ``OrderPlaced`` events.
The catalog reads the event as the JSON it travels as, never through ordering's
classes: the two contexts share the event's published shape, not code.
"""

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.infrastructure.database.tables import units_sold
from infrastructure_kernel.messaging.consumer import PoisonMessageError
from infrastructure_kernel.messaging.envelope import EventEnvelope

# --8<-- [start:units-sold]
ORDER_PLACED_VERSION = 1
"""The version of ``OrderPlaced`` whose payload this consumer reads."""


class _SoldLine(BaseModel):
    model_config = ConfigDict(extra="ignore")

    product_id: UUID
    quantity: int = Field(gt=0, le=1_000_000)


class _OrderPlaced(BaseModel):
    """The part of ordering's ``OrderPlaced`` payload that the catalog reads."""

    model_config = ConfigDict(extra="ignore")

    items: list[_SoldLine] = Field(min_length=1, max_length=1_000)


async def count_units_sold(connection: AsyncConnection, envelope: EventEnvelope) -> None:
    """Add an order's quantities to its products' units sold, in the caller's transaction.

    Raises:
        PoisonMessageError: The event is of a version this code does not read.
        pydantic.ValidationError: The payload is not an order placed.
    """
    if envelope.schema_version != ORDER_PLACED_VERSION:  # a shape this code cannot read
        raise PoisonMessageError(f"OrderPlaced version {envelope.schema_version} is not read")
    placed = _OrderPlaced.model_validate(envelope.payload)
    for line in placed.items:
        key = (units_sold.c.tenant_id == envelope.tenant_id) & (
            units_sold.c.product_id == line.product_id
        )
        added = await connection.execute(
            update(units_sold).where(key).values(units=units_sold.c.units + line.quantity)
        )
        if added.rowcount == 0:  # the product's first sale
            await connection.execute(
                insert(units_sold).values(
                    tenant_id=envelope.tenant_id, product_id=line.product_id, units=line.quantity
                )
            )


# --8<-- [end:units-sold]
