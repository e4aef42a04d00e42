"""The inbox: which events a consumer has handled, written with the handling's effect.

A broker delivers at least once, so an event may come again: after a relay crashed
before marking it, or a consumer before acknowledging it. The consumer runtime records
the event's id in the same transaction as the effect; a second delivery finds it and
has no second effect.
"""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Column, MetaData, String, Table, Uuid, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure_kernel.database.column_types import UtcDateTime


# --8<-- [start:inbox]
def inbox_table(metadata: MetaData) -> Table:
    """Define the ``inbox`` table on ``metadata``: one row per consumer and event handled."""
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(200), primary_key=True),
        Column("event_id", Uuid, primary_key=True),
        Column("handled_at", UtcDateTime, nullable=False),
    )


async def first_delivery(
    connection: AsyncConnection, inbox: Table, consumer: str, event_id: UUID, now: datetime
) -> bool:
    """Record that ``consumer`` handles ``event_id``; tell whether it is the first time.

    Call it first in the transaction of the effect. When it returns ``False`` the
    transaction must end without its effect: on PostgreSQL the refused insert has
    aborted it already.
    """
    row = {"consumer": consumer, "event_id": event_id, "handled_at": now}
    try:
        await connection.execute(insert(inbox).values(row))
    except IntegrityError:  # the primary key: handled before, or by a consumer beside it
        return False
    return True


# --8<-- [end:inbox]
