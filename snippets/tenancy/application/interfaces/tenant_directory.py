"""The port of the tenant directory: the tenants the shop serves."""

from collections.abc import Sequence
from typing import Protocol

from shared_kernel.tenancy import TenantId
from tenancy.domain.entities.tenant import Tenant
from tenancy.domain.errors import UnknownTenantError


class TenantDirectory(Protocol):
    """The registered tenants.

    Each method is a short transaction of its own: registering a tenant is an
    administrative act, and checking one a single read, which the shop makes once per
    process and tenant (``tenancy.infrastructure.cache.tenant_directory``).
    """

    async def get(self, tenant_id: TenantId, /) -> Tenant | None:
        """Return the tenant with this id, or ``None`` when there is none."""
        ...

    async def add(self, tenant: Tenant, /) -> None:
        """Register a tenant.

        Raises:
            TenantAlreadyExistsError: The id is taken.
        """
        ...

    async def list_all(self) -> Sequence[Tenant]:
        """Return every tenant, ordered by id."""
        ...


async def require_tenant(directory: TenantDirectory, tenant_id: TenantId) -> Tenant:
    """Return the tenant with this id, for callers that act for one.

    Raises:
        UnknownTenantError: No tenant has it.
    """
    tenant = await directory.get(tenant_id)
    if tenant is None:
        raise UnknownTenantError(tenant_id)
    return tenant
