"""Payments' tables: the payments, and the provider's events already processed.

Money is stored as a whole number of minor units beside its currency, as ordering
stores it: exact on every database. Defined on payments' own :data:`metadata`, which
the platform copies into the one schema (see ``shop.infrastructure.database``).
"""

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)

from infrastructure_kernel.database.column_types import UtcDateTime
from shared_kernel.tenancy import TenantId

STATUS_LENGTH = 16  # the longest PaymentStatus value, "succeeded", with room to spare
PROVIDER_ID_LENGTH = 255  # the provider's ids: opaque, bounded by its API reference
EVENT_ID_LENGTH = 255

# --8<-- [start:tables]
metadata = MetaData()

payments = Table(
    "payments",
    metadata,
    Column("payment_id", Uuid, primary_key=True),
    Column(
        "tenant_id", String(TenantId.MAX_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False
    ),
    Column("order_id", Uuid, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(STATUS_LENGTH), nullable=False),
    # Unique: the webhook finds the payment, and through it the tenant, by this id.
    Column("provider_payment_id", String(PROVIDER_ID_LENGTH), nullable=True, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Two requests that start the same attempt of an order store one payment: the
    # second insert fails, and that request carries on with the first one's.
    UniqueConstraint("tenant_id", "order_id", "attempt"),
)

processed_provider_events = Table(
    "processed_provider_events",
    metadata,
    # The primary key is the replay protection: an event id is inserted once.
    Column("event_id", String(EVENT_ID_LENGTH), primary_key=True),
    Column("payment_id", Uuid, ForeignKey("payments.payment_id"), nullable=False),
    Column("processed_at", UtcDateTime, nullable=False),
)
# --8<-- [end:tables]
