"""Which tenant a request is for: the ``X-Tenant-ID`` header, checked, and the tenant found.

Tenancy reads the header and finds the tenant; it does not decide whether the caller may
act for it. That is the platform's tenant access
(:func:`shop.presentation.api.tenant_access.act_for_tenant`), which
:func:`shop.presentation.api.application.api_v1` puts in front of every context router:
it parses the header with :func:`requested_tenant`, admits the caller only to a tenant
they are a member of, and then calls :func:`resolve_tenant`, which leaves the tenant's
id on ``request.state.tenant_id`` before any of the context's dependencies read it there,
as the platform promises the contexts (see :mod:`catalog.presentation`).
"""

from typing import Annotated

from fastapi import APIRouter, Header, Request

from infrastructure_kernel.http.request_state import request_tenant
from infrastructure_kernel.messaging.correlation import bind_tenant
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId
from tenancy.application.dto.tenant_views import TenantView
from tenancy.application.interfaces.tenant_directory import TenantDirectory, require_tenant
from tenancy.domain.entities.tenant import Tenant
from tenancy.presentation.api.dependencies import TenantDirectoryDep

TENANT_HEADER = "X-Tenant-ID"


class MissingTenantError(Exception):
    """The request does not say which tenant it is for."""


class MalformedTenantError(Exception):
    """The request names its tenant with something that cannot be a tenant id."""


# --8<-- [start:resolve-tenant]
async def requested_tenant(
    x_tenant_id: Annotated[
        str | None,
        Header(
            description="The tenant the request is for, e.g. `acme`: one of the tenants the"
            " caller is a member of. It may be left out by a caller who is a member of one.",
            json_schema_extra={"pattern": TenantId.PATTERN, "maxLength": TenantId.MAX_LENGTH},
        ),
    ] = None,
) -> TenantId | None:
    """Return the tenant the ``X-Tenant-ID`` header names, or ``None`` without one.

    Raises:
        MalformedTenantError: The header is not a tenant id.
    """
    if x_tenant_id is None:
        return None
    try:
        return TenantId(x_tenant_id)
    except InvalidValueError as error:
        raise MalformedTenantError(f"{TENANT_HEADER}: {error}") from error


async def resolve_tenant(
    request: Request, directory: TenantDirectory, tenant_id: TenantId
) -> Tenant:
    """Return the registered tenant ``tenant_id``, and make it the request's.

    Its id is left on ``request.state.tenant_id``, for the contexts' dependencies.

    Raises:
        UnknownTenantError: No tenant has the id.
    """
    tenant = await require_tenant(directory, tenant_id)
    # --8<-- [start:tenant-on-request]
    request.state.tenant_id = tenant.tenant_id  # what the contexts' dependencies read
    # --8<-- [end:tenant-on-request]
    bind_tenant(tenant.tenant_id.value)  # and what the request's log lines name
    return tenant


# --8<-- [end:resolve-tenant]

router = APIRouter(tags=["tenancy"])


@router.get("/tenant")
async def current_tenant(request: Request, directory: TenantDirectoryDep) -> TenantView:
    """Describe the tenant the request acts for: the ``X-Tenant-ID`` header's, or the only one."""
    return TenantView.from_tenant(await require_tenant(directory, request_tenant(request)))
