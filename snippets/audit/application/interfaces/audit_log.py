"""The audit log as verification reads it: every tenant's chain, entry by entry."""

from collections.abc import AsyncIterator
from typing import Protocol

from audit.domain.entities.audit_entry import AuditEntry
from shared_kernel.tenancy import TenantId


class AuditLog(Protocol):
    """The stored chains, read whole; the log is never changed through this port."""

    async def tenants(self) -> list[TenantId]:
        """The tenants that have a chain, in order of their ids."""
        ...

    def entries(self, tenant_id: TenantId) -> AsyncIterator[AuditEntry]:
        """Yield ``tenant_id``'s entries in ascending sequence, however many there are."""
        ...
