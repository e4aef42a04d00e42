"""The database schema, as SQLAlchemy Core tables, and how customers map onto them.

Why tables and explicit mapping rather than the ORM: the domain classes stay plain
Python. ORM mapping (declarative or imperative) instruments the mapped classes, skips
``__init__`` when loading (so an aggregate's event list needs a load hook) and needs
composites for value objects. Here the repository turns rows into aggregates and back in
two short functions that read exactly like the schema, and a change to either side
shows up in one place. The price is those two functions and the repository's insert and
update; tracking what changed is the infrastructure kernel's ``TrackedRepository`` (ADR 24).
"""

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from infrastructure_kernel.database.column_types import UtcDateTime
from infrastructure_kernel.database.outbox import outbox_table

# --8<-- [start:tables]
# Named constraints let migrations refer to them by the same name on every database.
metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    }
)

customers = Table(
    "customers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(EmailAddress.MAX_LENGTH), nullable=False, unique=True),
    Column("name", String(CustomerName.MAX_LENGTH), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

# Domain events, written in the same transaction as the change they describe (the
# transactional outbox): an event is stored exactly when its change is. Nothing in the
# service reads this table.
outbox = outbox_table(metadata)
# --8<-- [end:tables]
