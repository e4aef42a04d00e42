"""The tenant a request is for, as the API sees it: a client's way to check its header."""

from fastapi import APIRouter
from pydantic import BaseModel

from shop.api.tenancy import TenantDep

router = APIRouter(tags=["tenancy"])


class TenantView(BaseModel):
    """A tenant, as the API shows it."""

    tenant_id: str
    name: str


@router.get("/tenant")
async def current_tenant(tenant: TenantDep) -> TenantView:
    """Describe the tenant that the ``X-Tenant-ID`` header names."""
    return TenantView(tenant_id=tenant.tenant_id.value, name=tenant.name)
