"""Which tenant a request is for: the ``X-Tenant-ID`` header, checked and resolved.

The platform resolves the tenant before any other context's endpoint runs:
:func:`shop.presentation.api.application.api_v1` puts :func:`resolve_tenant` in front of
every context router, so a context cannot forget it, and the OpenAPI document shows the
header on every such operation. FastAPI solves a router-level dependency before the
endpoint's own ones, and each dependency once per request: the tenant is looked up
once, and :func:`resolve_tenant` leaves its id on ``request.state.tenant_id`` before
any of the context's dependencies read it there, as the platform promises the contexts
(see :mod:`catalog.presentation`).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request

from infrastructure_kernel.messaging.correlation import bind_tenant
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId
from tenancy.application.dto.tenant_views import TenantView
from tenancy.application.interfaces.tenant_directory import require_tenant
from tenancy.domain.entities.tenant import Tenant
from tenancy.presentation.api.dependencies import TenantDirectoryDep

TENANT_HEADER = "X-Tenant-ID"


class MissingTenantError(Exception):
    """The request does not say which tenant it is for."""


class MalformedTenantError(Exception):
    """The request names its tenant with something that cannot be a tenant id."""


# --8<-- [start:resolve-tenant]
async def resolve_tenant(
    request: Request,
    directory: TenantDirectoryDep,
    x_tenant_id: Annotated[
        str | None,
        Header(
            description="Required: the tenant the request is for, e.g. `acme`.",
            json_schema_extra={"pattern": TenantId.PATTERN, "maxLength": TenantId.MAX_LENGTH},
        ),
    ] = None,
) -> Tenant:
    """Return the registered tenant that the ``X-Tenant-ID`` header names.

    Its id is also left on ``request.state.tenant_id``, for the contexts' dependencies.
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
    tenant = await require_tenant(directory, tenant_id)
    # --8<-- [start:tenant-on-request]
    request.state.tenant_id = tenant.tenant_id  # what the contexts' dependencies read
    # --8<-- [end:tenant-on-request]
    bind_tenant(tenant.tenant_id.value)  # and what the request's log lines name
    return tenant


TenantDep = Annotated[Tenant, Depends(resolve_tenant)]


async def resolve_tenant_id(tenant: TenantDep) -> TenantId:
    """Return the id of the request's tenant, what units of work are made for."""
    return tenant.tenant_id


TenantIdDep = Annotated[TenantId, Depends(resolve_tenant_id)]
# --8<-- [end:resolve-tenant]

router = APIRouter(tags=["tenancy"])


@router.get("/tenant")
async def current_tenant(tenant: TenantDep) -> TenantView:
    """Describe the tenant that the ``X-Tenant-ID`` header names."""
    return TenantView.from_tenant(tenant)
