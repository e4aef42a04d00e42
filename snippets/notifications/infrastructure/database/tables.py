"""Notifications' table: whom to e-mail about each order.

Defined on a ``MetaData`` of notifications' own, which the platform copies into the one
schema (see :mod:`shop.infrastructure.database`); the migration ``v0006_notifications``
spells out the constraint names the schema's convention gives them.
"""

from sqlalchemy import Column, ForeignKey, MetaData, String, Table, Uuid

from shared_kernel.tenancy import TenantId

MAX_EMAIL_LENGTH = 320  # a local part of 64 and a domain of 255, with the @

# --8<-- [start:tables]
metadata = MetaData()

# The customer's address, taken from OrderPlaced: the later events of the order carry
# only its id. The one place that keeps a customer's contact, so erasing it is one row.
order_recipients = Table(
    "order_recipients",
    metadata,
    Column(
        "tenant_id",
        String(TenantId.MAX_LENGTH),
        ForeignKey("tenants.tenant_id"),
        primary_key=True,
    ),
    Column("order_id", Uuid, primary_key=True),
    Column("email", String(MAX_EMAIL_LENGTH), nullable=False),
)
# --8<-- [end:tables]
