"""Column types of ordering's tables.

The platform has the same type for its own tables; a context imports nothing from the
platform, and one short class repeated is cheaper than a shared infrastructure package
that every context and the platform would have to depend on.
"""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database.

    PostgreSQL keeps time zones, SQLite drops them and returns naive values. Storing UTC
    and marking results as UTC gives aware datetimes from both, and makes the keyset
    comparison of the order list compare like with like.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002 - part of SQLAlchemy's signature
    ) -> datetime | None:
        """Convert to UTC before storing or comparing."""
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
