"""The transactional outbox: domain events stored with the change they describe.

A unit of work appends the events its aggregates recorded in the same transaction as
their changes, so the events are stored if and only if the changes are. The table's
shape and the events' serialisation are written once here, so every deployable's outbox
looks the same. A deployable that relays its events to a broker uses
:func:`relayed_outbox_table`, which adds what the relay needs: the order events were
committed in, each event's schema version, correlation and trace context, and when it was
published.
"""

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    insert,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure_kernel.database.column_types import UtcDateTime
from infrastructure_kernel.messaging.correlation import current_correlation_id
from infrastructure_kernel.messaging.tracing import current_traceparent
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
    if not events:  # one statement for all of them (executemany), none for no event
        return
    relayed = "published_at" in outbox.c
    rows = [{**scope, **_row(e), **(_relay_columns(e) if relayed else {})} for e in events]
    await connection.execute(insert(outbox), rows)


def _row(event: DomainEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "event_name": event.event_name,
        "occurred_at": event.occurred_at,
        # Ids, decimals and datetimes as text, value objects as nested objects.
        "payload": json.dumps(asdict(event), default=str),
    }


# --8<-- [end:outbox]


# --8<-- [start:relayed-outbox]
def relayed_outbox_table(metadata: MetaData, *scope: Column[Any]) -> Table:
    """Define the ``outbox`` table of a deployable whose events a relay publishes.

    Its rows are numbered in the order they were inserted (``position``), which is the
    order a relay publishes them in: an aggregate's later transaction inserts its
    events after the earlier one committed (the version check sees to that), so an
    aggregate's events keep their commit order. :func:`append_events` fills the rest.

    Args:
        metadata: The MetaData of the part that owns the table.
        *scope: Columns that say whose event a row is; a relay needs ``tenant_id``.
    """
    return Table(
        "outbox",
        metadata,
        # SQLite numbers only an INTEGER primary key by itself.
        Column(
            "position", BigInteger().with_variant(Integer(), "sqlite"), Identity(), primary_key=True
        ),
        Column("event_id", Uuid, nullable=False),
        *scope,
        Column("event_name", String(100), nullable=False),
        Column("schema_version", Integer, nullable=False, server_default="1"),
        Column("occurred_at", UtcDateTime, nullable=False),
        Column("correlation_id", String(200)),
        Column("traceparent", String(55)),  # W3C: 00-{trace id}-{span id}-{flags}
        Column("payload", Text, nullable=False),
        Column("published_at", UtcDateTime),  # NULL until the broker confirmed it
        UniqueConstraint("event_id"),
        # The relay's and the lag's one question: the oldest unpublished events.
        Index("ix_outbox_published_at_position", "published_at", "position"),
    )


def _relay_columns(event: DomainEvent) -> dict[str, Any]:
    return {
        "schema_version": event.schema_version,
        "correlation_id": current_correlation_id(),
        "traceparent": current_traceparent(),
    }


# --8<-- [end:relayed-outbox]
