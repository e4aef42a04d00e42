"""What tenancy returns: plain, serialisable models."""

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict

from tenancy.domain.entities.tenant import Tenant


class TenantView(BaseModel):
    """A tenant, as the API and the command line show it."""

    model_config = ConfigDict(frozen=True)

    tenant_id: str
    name: str
    created_at: datetime

    @classmethod
    def from_tenant(cls, tenant: Tenant) -> Self:
        """Copy what callers may see out of the tenant."""
        return cls(tenant_id=tenant.tenant_id.value, name=tenant.name, created_at=tenant.created_at)
