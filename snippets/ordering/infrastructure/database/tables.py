"""Ordering's tables: orders, and their lines in a table of their own.

An order's lines are a list of values, so they get a table keyed by the order and the
line's position, and an order is written or read as its row plus its line rows. Money
is stored as a whole number of minor units beside its currency: exact on every
database, SQLite included, which has no exact decimal type.

The tables live on this context's own :data:`metadata`, with constraints left unnamed;
the platform copies them into the one schema, whose naming convention names them (see
``shop.infrastructure.database``).
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Uuid,
)

from infrastructure_kernel.database.column_types import UtcDateTime
from shared_kernel.tenancy import TenantId

STATUS_LENGTH = 16  # the longest OrderStatus value, "cancelled", with room to spare
SKU_LENGTH = 64  # copies of the catalog's SKUs (at most 32 characters today)
NAME_LENGTH = 200  # copies of the catalog's product names (at most 200 characters)
CURRENCY_LENGTH = 3  # an ISO 4217 code
# An actor's subject: a user's id, ``operator``, or an external provider's subject, which
# OpenID Connect bounds to 255 characters (and identity's links refuse longer).
SUBJECT_LENGTH = 255

# --8<-- [start:tables]
metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column(
        "tenant_id", String(TenantId.MAX_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False
    ),
    Column("order_id", Uuid, nullable=False),
    Column("status", String(STATUS_LENGTH), nullable=False),
    Column("placed_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    # Added by migration 0013, expand and contract (ADR 97): nullable, so the release
    # before it, which does not write it, goes on placing orders on the migrated schema,
    # and the orders placed before it say who placed them nowhere.
    Column("placed_by", String(SUBJECT_LENGTH), nullable=True),
    # The tenant first: every statement names it, and a line's foreign key below
    # then guarantees that a line belongs to an order of the same tenant.
    PrimaryKeyConstraint("tenant_id", "order_id"),
    # The keyset of the order list, newest first, with and without a status filter.
    # SQLAlchemy names an unnamed index at once, so these carry the names the schema's
    # convention gives (ix_<table>_<columns>).
    Index("ix_orders_tenant_id_placed_at_order_id", "tenant_id", "placed_at", "order_id"),
    Index(
        "ix_orders_tenant_id_status_placed_at_order_id",
        "tenant_id",
        "status",
        "placed_at",
        "order_id",
    ),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("tenant_id", String(TenantId.MAX_LENGTH), nullable=False),
    Column("order_id", Uuid, nullable=False),
    Column("line_number", Integer, nullable=False),  # 0, 1, ...: the order they were placed in
    Column("product_id", Uuid, nullable=False),
    Column("sku", String(SKU_LENGTH), nullable=False),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),  # e.g. 1250 for 12.50 EUR
    Column("currency", String(CURRENCY_LENGTH), nullable=False),
    Column("quantity", Integer, nullable=False),
    PrimaryKeyConstraint("tenant_id", "order_id", "line_number"),
    ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.order_id"]),
)
# --8<-- [end:tables]

# --8<-- [start:daily-sales]
# The daily sales report: one row per tenant, day and currency, compiled by a job.
daily_sales = Table(
    "daily_sales",
    metadata,
    Column(
        "tenant_id", String(TenantId.MAX_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False
    ),
    Column("day", Date, nullable=False),
    Column("currency", String(CURRENCY_LENGTH), nullable=False),
    Column("orders", Integer, nullable=False),
    Column("units", BigInteger, nullable=False),
    Column("revenue_minor", BigInteger, nullable=False),
    Column("compiled_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "day", "currency"),
)
# --8<-- [end:daily-sales]
