"""The registered tenants, remembered by the process that looked them up (ADR 70).

Every request names its tenant, so looking it up in the database would cost every request
a round trip of its own before its real work. A registered tenant cannot be removed or
renamed (the directory has no such operation), so once found it stays true: this process
keeps what it found and asks the database only for tenants it has not seen.
"""

from collections import OrderedDict
from collections.abc import Sequence

from shared_kernel.tenancy import TenantId
from tenancy.application.interfaces.tenant_directory import TenantDirectory
from tenancy.domain.entities.tenant import Tenant


# --8<-- [start:cached-tenant-directory]
class CachedTenantDirectory:
    """A tenant directory that remembers the tenants it found; implements ``TenantDirectory``.

    Only tenants that exist are remembered. An unknown id is asked again every time, so a
    tenant registered by another process is found at once, and a client inventing ids
    cannot fill the memory: the map holds registered tenants, at most ``max_entries`` of
    them, the least recently used leaving first.
    """

    def __init__(self, directory: TenantDirectory, *, max_entries: int = 10_000) -> None:
        """Remember what ``directory`` finds, ``max_entries`` tenants at most."""
        self._directory = directory
        self._max_entries = max_entries
        self._found: OrderedDict[TenantId, Tenant] = OrderedDict()

    async def get(self, tenant_id: TenantId, /) -> Tenant | None:
        """From memory when this process found the tenant before; else one ``SELECT``."""
        tenant = self._found.get(tenant_id)
        if tenant is not None:
            self._found.move_to_end(tenant_id)
            return tenant
        tenant = await self._directory.get(tenant_id)
        if tenant is not None:
            self._remember(tenant)
        return tenant

    async def add(self, tenant: Tenant, /) -> None:
        """Register the tenant in the database, then remember it."""
        await self._directory.add(tenant)
        self._remember(tenant)

    async def list_all(self) -> Sequence[Tenant]:
        """Straight from the database: the whole list is an administrator's question."""
        return await self._directory.list_all()

    def _remember(self, tenant: Tenant) -> None:
        self._found[tenant.tenant_id] = tenant
        self._found.move_to_end(tenant.tenant_id)
        while len(self._found) > self._max_entries:
            self._found.popitem(last=False)


# --8<-- [end:cached-tenant-directory]
