"""The audit log's table: one row per entry of every tenant's chain.

Defined on a ``MetaData`` of audit's own, which the platform copies into the one schema
(see :mod:`shop.infrastructure.database`); constraints stay unnamed here, and the
migration ``v0007_audit`` spells out the names the schema's convention gives them.
"""

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, MetaData, String, Table, Uuid

from infrastructure_kernel.database.column_types import UtcDateTime
from shared_kernel.tenancy import TenantId

HASH_LENGTH = 64  # SHA-256, hex

# --8<-- [start:tables]
metadata = MetaData()

audit_entries = Table(
    "audit_entries",
    metadata,
    Column(
        "tenant_id",
        String(TenantId.MAX_LENGTH),
        ForeignKey("tenants.tenant_id"),
        primary_key=True,
    ),
    # The primary key (tenant_id, sequence) is what keeps a chain from forking: of two
    # appenders that read the same last entry, one inserts its successor, the other fails.
    Column("sequence", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_name", String(100), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("previous_hash", String(HASH_LENGTH), nullable=False),
    Column("hash", String(HASH_LENGTH), nullable=False),
)
# --8<-- [end:tables]
