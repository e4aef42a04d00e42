"""The database schema, as SQLAlchemy Core tables, and how customers map onto them.

Why tables and explicit mapping rather than the ORM: the domain classes stay plain
Python. ORM mapping (declarative or imperative) instruments the mapped classes, skips
``__init__`` when loading (so an aggregate's event list needs a load hook) and needs
composites for value objects. Here the repository turns rows into aggregates and back in
two short functions that read exactly like the schema, and a change to either side
shows up in one place. The price is those two functions, and the repository tracking
what changed itself (see :mod:`app.infrastructure.database.repository`).
"""

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Dialect,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    Uuid,
)

from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress


# --8<-- [start:utc-datetime]
class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database.

    PostgreSQL keeps time zones, SQLite drops them and returns naive values. Storing UTC
    and marking results as UTC gives the domain aware datetimes from both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002 - part of SQLAlchemy's signature
    ) -> datetime | None:
        """Convert to UTC before storing."""
        return None if value is None else value.astimezone(UTC)

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002 - part of SQLAlchemy's signature
    ) -> datetime | None:
        """Return an aware UTC datetime, whether or not the database kept the zone."""
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


# --8<-- [end:utc-datetime]

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
outbox = Table(
    "outbox",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("event_name", String(100), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False),
)
# --8<-- [end:tables]
