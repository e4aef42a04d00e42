"""Which tenant a request is for: the ``X-Tenant-ID`` header, checked and resolved.

The platform resolves the tenant before any context's endpoint runs:
:func:`shop.api.application.api_v1` puts :func:`resolve_tenant` in front of every
context router, so a context cannot forget it, and the OpenAPI document shows the
header on every such operation. FastAPI solves a dependency once per request, so a
provider that takes :data:`TenantIdDep` (to make a context's unit of work for the
tenant) reuses that result instead of reading the table again.
"""

from typing import Annotated

from fastapi import Depends, Header

from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId
from shop.api.dependencies import ServicesDep
from shop.tenants import Tenant, TenantDirectory, UnknownTenantError

TENANT_HEADER = "X-Tenant-ID"


class MissingTenantError(Exception):
    """The request does not say which tenant it is for."""


class MalformedTenantError(Exception):
    """The request names its tenant with something that cannot be a tenant id."""


# --8<-- [start:resolve-tenant]
async def resolve_tenant(
    services: ServicesDep,
    x_tenant_id: Annotated[
        str | None,
        Header(description="Required: the tenant the request is for, e.g. `acme`."),
    ] = None,
) -> Tenant:
    """Return the registered tenant that the ``X-Tenant-ID`` header names.

    The header is optional to FastAPI so that its absence is this function's error
    (a 400 problem of its own type) rather than a generic validation error; its
    description in the OpenAPI document says that it is required.

    Raises:
        MissingTenantError: There is no header.
        MalformedTenantError: The header is not a tenant id.
        UnknownTenantError: No tenant has the id.
    """
    if x_tenant_id is None:
        raise MissingTenantError(f"the {TENANT_HEADER} header is required")
    try:
        tenant_id = TenantId(x_tenant_id)
    except InvalidValueError as error:
        raise MalformedTenantError(f"{TENANT_HEADER}: {error}") from error
    tenant = await TenantDirectory(services.engine).get(tenant_id)
    if tenant is None:
        raise UnknownTenantError(tenant_id)
    return tenant


def resolve_tenant_id(tenant: Annotated[Tenant, Depends(resolve_tenant)]) -> TenantId:
    """Return the id of the request's tenant, what units of work are made for."""
    return tenant.tenant_id


TenantDep = Annotated[Tenant, Depends(resolve_tenant)]
TenantIdDep = Annotated[TenantId, Depends(resolve_tenant_id)]
# --8<-- [end:resolve-tenant]
