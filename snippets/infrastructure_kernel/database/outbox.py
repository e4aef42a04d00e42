"""The transactional outbox: domain events stored with the change they describe.

A unit of work appends the events its aggregates recorded in the same transaction as
their changes, so the events are stored if and only if the changes are. The table's
shape and the events' serialisation are written once here, so every deployable's outbox
looks the same.
"""

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Column, MetaData, String, Table, Text, Uuid, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure_kernel.database.column_types import UtcDateTime
from shared_kernel.events import DomainEvent


# --8<-- [start:outbox]
def outbox_table(metadata: MetaData, *scope: Column[Any]) -> Table:
    """Define the ``outbox`` table on ``metadata``: one row per domain event.

    Args:
        metadata: The MetaData of the part that owns the table.
        *scope: Columns that say whose event a row is, such as the tenant's; each
            writer stamps them (see :func:`append_events`).
    """
    return Table(
        "outbox",
        metadata,
        Column("event_id", Uuid, primary_key=True),
        *scope,
        Column("event_name", String(100), nullable=False),
        Column("occurred_at", UtcDateTime, nullable=False),
        Column("payload", Text, nullable=False),
    )


async def append_events(
    connection: AsyncConnection, outbox: Table, events: Sequence[DomainEvent], **scope: Any
) -> None:
    """Append ``events`` to ``outbox`` inside the transaction of ``connection``.

    Args:
        connection: The unit of work's connection, with its transaction begun.
        outbox: A table made by :func:`outbox_table`.
        events: The events the unit of work pulled from its aggregates; may be empty.
        **scope: The value of each scope column, the same for every event.
    """
    if events:  # one statement for all of them (executemany), none for no event
        await connection.execute(insert(outbox), [{**scope, **_row(e)} for e in events])


def _row(event: DomainEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "event_name": event.event_name,
        "occurred_at": event.occurred_at,
        # Ids, decimals and datetimes as text, value objects as nested objects.
        "payload": json.dumps(asdict(event), default=str),
    }


# --8<-- [end:outbox]
