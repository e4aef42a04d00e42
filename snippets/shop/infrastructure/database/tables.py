"""The platform's own tables: the outbox, the embedded transport's queues, idempotency keys.

They are defined on :data:`platform_metadata` like any context's tables are on its own
MetaData; :mod:`shop.infrastructure.database.metadata` copies them all into the one
schema, which names every constraint. The contexts never import these tables: their
units of work reach the outbox and the idempotency keys through the writers the
platform hands them (:mod:`shop.infrastructure.database.outbox`,
:mod:`shop.infrastructure.database.idempotency`).
"""

from sqlalchemy import Column, ForeignKey, MetaData, PrimaryKeyConstraint, String, Table, Uuid

from infrastructure_kernel.database.column_types import UtcDateTime
from infrastructure_kernel.database.inbox import inbox_table
from infrastructure_kernel.database.message_queue import message_queue_table
from infrastructure_kernel.database.outbox import relayed_outbox_table
from shared_kernel.tenancy import TenantId

# --8<-- [start:tables]
# No naming convention here: the schema's MetaData names every constraint.
platform_metadata = MetaData()

# Domain events, written in the same transaction as the change they describe (the
# transactional outbox): an event is stored exactly when its change is. The relay
# (`shop relay`) publishes them in the order they were stored, and marks them.
outbox = relayed_outbox_table(
    platform_metadata,
    Column(
        "tenant_id", String(TenantId.MAX_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False
    ),
)

# The consumers' queues when no broker is configured (the embedded transport).
messages = message_queue_table(platform_metadata)

# The events each consumer has handled, written with the handling's effect.
inbox = inbox_table(platform_metadata)

# A client's Idempotency-Key, remembered with what it asked for and what it created, in
# the transaction that created it: a retry finds the key and gets the same resource.
idempotency_keys = Table(
    "idempotency_keys",
    platform_metadata,
    Column(
        "tenant_id", String(TenantId.MAX_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False
    ),
    Column("key", String(255), nullable=False),
    Column("request_fingerprint", String(64), nullable=False),  # SHA-256, hex
    Column("resource_id", Uuid, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # Keys are per tenant: two tenants' clients may well pick the same one.
    PrimaryKeyConstraint("tenant_id", "key"),
)
# --8<-- [end:tables]
