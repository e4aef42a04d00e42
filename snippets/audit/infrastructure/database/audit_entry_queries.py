"""The trail's query adapter: one statement per page, keyset on the sequence."""

from sqlalchemy.ext.asyncio import AsyncEngine

from audit.application.dto.audit_entry_views import (
    AuditEntryCursor,
    AuditEntryPage,
    AuditEntryView,
)
from audit.infrastructure.database.mapping import to_entry
from audit.infrastructure.database.tables import audit_entries
from infrastructure_kernel.database.tenant_scope import TenantScope
from infrastructure_kernel.pagination import decode_cursor, encode_cursor
from shared_kernel.tenancy import TenantId


# --8<-- [start:audit-entry-queries]
class SqlAlchemyAuditEntryQueries:
    """Reads of ``tenant_id``'s trail, each in a short connection of its own."""

    def __init__(self, engine: AsyncEngine, tenant_id: TenantId) -> None:
        self._engine = engine
        self._scope = TenantScope(tenant_id)

    async def list_page(self, *, after: str | None, limit: int) -> AuditEntryPage:
        """One statement: the entries after the cursor's sequence, and one more."""
        statement = self._scope.select(audit_entries).order_by(audit_entries.c.sequence)
        if after is not None:
            last = decode_cursor(after, AuditEntryCursor)
            statement = statement.where(audit_entries.c.sequence > last.sequence)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(statement.limit(limit + 1))).mappings().all()
        items = [AuditEntryView.from_entry(to_entry(row)) for row in rows[:limit]]
        more = len(rows) > limit
        cursor = encode_cursor(AuditEntryCursor(sequence=items[-1].sequence)) if more else None
        return AuditEntryPage(items=items, next_cursor=cursor)


# --8<-- [end:audit-entry-queries]
