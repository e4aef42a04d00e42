"""The ``audit.trail`` consumer's handler: every event appended to its tenant's chain.

The handler runs in the consumer runtime's transaction, with the inbox's row, so an
event redelivered is appended once. It reads the chain's last entry and inserts the
entry that follows it; the primary key ``(tenant_id, sequence)`` refuses a second
successor of the same entry, so two consumers appending for one tenant at once cannot
fork the chain: the one that loses reads the new last entry and tries again, inside a
savepoint, so the transaction and its inbox row survive the refused insert. A refusal
that no other appender explains (an unknown tenant, say) can never succeed, and
dead-letters the message.
"""

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from audit.domain.entities.audit_entry import AuditEntry
from audit.infrastructure.database.mapping import to_entry
from audit.infrastructure.database.tables import audit_entries
from infrastructure_kernel.database.tenant_scope import TenantScope
from infrastructure_kernel.messaging.consumer import PoisonMessageError
from infrastructure_kernel.messaging.envelope import EventEnvelope
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId


# --8<-- [start:append]
async def append_to_trail(connection: AsyncConnection, envelope: EventEnvelope) -> None:
    """Append the event to its tenant's chain, inside the caller's transaction.

    Raises:
        PoisonMessageError: The envelope's tenant is not a registered tenant, or its
            payload holds a value JSON cannot carry (NaN, an infinity).
    """
    try:
        scope = TenantScope(TenantId(envelope.tenant_id))
    except InvalidValueError as error:
        raise PoisonMessageError(str(error)) from error
    last_first = scope.select(audit_entries).order_by(audit_entries.c.sequence.desc()).limit(1)
    refused = 0  # the sequence of the last entry the log refused; none yet
    while True:
        row = (await connection.execute(last_first)).mappings().one_or_none()
        last = None if row is None else to_entry(row)
        if refused == (0 if last is None else last.sequence) + 1:  # no one appended it
            raise PoisonMessageError(
                f"the audit log refused entry {refused}, and no race explains it"
            )
        try:
            entry = AuditEntry.after(
                last,
                tenant_id=envelope.tenant_id,
                event_id=envelope.event_id,
                event_name=envelope.event_name,
                occurred_at=envelope.occurred_at,
                payload=envelope.payload,
            )
        except ValueError as error:  # NaN or an infinity in the payload
            raise PoisonMessageError(f"the payload is not canonical JSON: {error}") from error
        try:
            async with connection.begin_nested():  # a savepoint: a refusal undoes only it
                await connection.execute(insert(audit_entries).values(_row(entry)))
        except IntegrityError:
            # Another appender took the sequence first, most likely: read its entry.
            refused = entry.sequence
            continue
        return


def _row(entry: AuditEntry) -> dict[str, object]:
    return {
        "tenant_id": entry.tenant_id,
        "sequence": entry.sequence,
        "event_id": entry.event_id,
        "event_name": entry.event_name,
        "occurred_at": entry.occurred_at,
        "payload": dict(entry.payload),
        "previous_hash": entry.previous_hash,
        "hash": entry.hash,
    }


# --8<-- [end:append]
