"""The transactional outbox: domain events stored with the change they describe.

The contexts' units of work receive :func:`write_events` from the composition root and
call it inside their transaction, just before committing: the events are stored if and
only if the change is. Nothing in the shop reads them back; the tests do, to see what
was stored.
"""

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId
from shop.database.tables import outbox


def _outbox_row(tenant_id: TenantId, event: DomainEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "tenant_id": tenant_id.value,
        "event_name": event.event_name,
        "occurred_at": event.occurred_at,
        # Ids, decimals and datetimes as text, value objects as nested objects.
        "payload": json.dumps(asdict(event), default=str),
    }


# --8<-- [start:write-events]
async def write_events(
    connection: AsyncConnection, tenant_id: TenantId, events: Sequence[DomainEvent]
) -> None:
    """Append one tenant's events to the outbox, inside the caller's transaction.

    Args:
        connection: The unit of work's connection, with its transaction begun.
        tenant_id: Whose change the events describe.
        events: The events the unit of work pulled from its aggregates; may be empty.
    """
    if events:
        await connection.execute(insert(outbox), [_outbox_row(tenant_id, e) for e in events])


# --8<-- [end:write-events]
