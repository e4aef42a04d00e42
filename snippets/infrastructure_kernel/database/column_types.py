"""Column types that every context's and every deployable's tables share."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, TypeDecorator


# --8<-- [start:utc-datetime]
class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database.

    PostgreSQL keeps time zones, SQLite drops them and returns naive values. Storing UTC
    and marking results as UTC gives aware datetimes from both, and makes comparisons in
    SQL (a keyset page's ``WHERE placed_at < :last``) compare like with like.
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


# --8<-- [end:utc-datetime]
