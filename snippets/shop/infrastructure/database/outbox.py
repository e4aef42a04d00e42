"""The shop's transactional outbox writer: one tenant's events, in the platform's table.

The contexts' units of work receive :func:`write_events` from the composition root and
call it inside their transaction, just before committing: the events are stored if and
only if the change is. The relay (``shop relay``) reads them back and publishes them;
so do the tests, to see what was stored. The shape and the rows come from the kernel; the
platform adds the tenant.
"""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure_kernel.database.outbox import append_events
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId
from shop.infrastructure.database.tables import outbox


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
    await append_events(connection, outbox, events, tenant_id=tenant_id.value)


# --8<-- [end:write-events]
