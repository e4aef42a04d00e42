"""The audit log for verification: chains read in batches, in ascending sequence."""

from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from audit.domain.entities.audit_entry import AuditEntry
from audit.infrastructure.database.mapping import to_entry
from audit.infrastructure.database.tables import audit_entries
from infrastructure_kernel.database.tenant_scope import TenantScope
from shared_kernel.tenancy import TenantId


class SqlAlchemyAuditLog:
    """Implements :class:`~audit.application.interfaces.audit_log.AuditLog` on the table."""

    def __init__(self, engine: AsyncEngine, *, batch_size: int = 1_000) -> None:
        self._engine = engine
        self._batch_size = batch_size

    async def tenants(self) -> list[TenantId]:
        """The tenants with at least one entry."""
        query = select(audit_entries.c.tenant_id).distinct().order_by(audit_entries.c.tenant_id)
        async with self._engine.connect() as connection:
            return [TenantId(t) for t in (await connection.scalars(query)).all()]

    async def entries(self, tenant_id: TenantId) -> AsyncIterator[AuditEntry]:
        """One statement per batch, each starting after the last sequence read."""
        scope, last = TenantScope(tenant_id), None
        while True:
            query = scope.select(audit_entries).order_by(audit_entries.c.sequence)
            if last is not None:
                query = query.where(audit_entries.c.sequence > last)
            async with self._engine.connect() as connection:
                rows = (await connection.execute(query.limit(self._batch_size))).mappings().all()
            for row in rows:
                yield to_entry(row)
            if len(rows) < self._batch_size:
                return
            last = rows[-1]["sequence"]
