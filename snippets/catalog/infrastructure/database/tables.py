"""The catalog's table: one row per product of every tenant.

Defined on a ``MetaData`` of the catalog's own, which the platform copies into the one
schema (see :mod:`shop.infrastructure.database`); the catalog's statements use these
``Table`` objects. Constraints stay unnamed here: the schema's naming convention names them, and the
migration ``v0002_products`` spells out the same names.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)

from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from shared_kernel.tenancy import TenantId

CURRENCY_LENGTH = 3  # ISO 4217 codes, e.g. EUR

# --8<-- [start:tables]
metadata = MetaData()

products = Table(
    "products",
    metadata,
    Column(
        "tenant_id", String(TenantId.MAX_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False
    ),
    Column("product_id", Uuid, nullable=False),
    Column("sku", String(Sku.MAX_LENGTH), nullable=False),
    Column("name", String(ProductName.MAX_LENGTH), nullable=False),
    # --8<-- [start:money-columns]
    # Money as a whole number of minor units (cents) and its currency: exact on every
    # database, where a NUMERIC column would be a float on SQLite.
    Column("price_minor_units", BigInteger, nullable=False),
    Column("currency", String(CURRENCY_LENGTH), nullable=False),
    # --8<-- [end:money-columns]
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),  # optimistic concurrency, see the repository
    # The tenant leads both keys: every statement filters by it, so each one is a seek
    # into one tenant's part of an index.
    PrimaryKeyConstraint("tenant_id", "product_id"),
    # SKUs are unique per tenant; the index also serves the list in SKU order.
    UniqueConstraint("tenant_id", "sku"),
)
# --8<-- [end:tables]

# How many units of each product were sold: a projection of ordering's OrderPlaced
# events, kept by the catalog.units-sold consumer (catalog.infrastructure.messaging).
units_sold = Table(
    "units_sold",
    metadata,
    Column(
        "tenant_id", String(TenantId.MAX_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False
    ),
    Column("product_id", Uuid, nullable=False),
    Column("units", BigInteger, nullable=False),
    PrimaryKeyConstraint("tenant_id", "product_id"),
)
