"""Tenant access: who may act for which tenant, decided once, in front of every context.

:func:`act_for_tenant` is the router-level dependency that
:func:`~shop.presentation.api.application.api_v1` puts in front of every tenant-scoped
router, so that no context, and no context added later, can forget it (ADR 75). It is
the platform's because it joins two contexts that know nothing of each other: identity,
which says who the caller is and where they belong, and tenancy, which finds the tenant.
What the caller may do there is left on ``request.state.actor``, for the use cases to
check (ADR 74).
"""

from collections.abc import Mapping, Sequence
from typing import Annotated

from fastapi import Depends, Request

from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.permissions import permissions_of
from identity.presentation.api.caller import caller_memberships
from identity.presentation.api.dependencies import ClaimsDep
from identity.presentation.api.dependencies import ServicesDep as IdentityServicesDep
from infrastructure_kernel.remedies import Remedies, Remedy
from shared_kernel.authorization import Actor, PermissionDeniedError
from shared_kernel.tenancy import TenantId
from tenancy.domain.entities.tenant import Tenant
from tenancy.domain.errors import UnknownTenantError
from tenancy.presentation.api.dependencies import TenantDirectoryDep
from tenancy.presentation.api.tenancy import (
    TENANT_HEADER,
    MissingTenantError,
    requested_tenant,
    resolve_tenant,
)


# --8<-- [start:choose-membership]
def chosen_membership(memberships: Sequence[Membership], requested: TenantId | None) -> Membership:
    """The membership the request acts under: the header's tenant, or the caller's only one.

    The header selects among the caller's memberships; it never grants one. A tenant
    the caller does not belong to is answered as a tenant that does not exist, so the
    answer does not tell which tenants exist.

    Raises:
        UnknownTenantError: The caller is no member of the requested tenant.
        MissingTenantError: No header, and the caller belongs to none or to several.
    """
    if requested is None:
        if len(memberships) == 1:
            return memberships[0]
        raise MissingTenantError(
            f"the {TENANT_HEADER} header is required: name one of the tenants you belong to"
        )
    for membership in memberships:
        if membership.tenant_id == requested:
            return membership
    raise UnknownTenantError(requested)


# --8<-- [end:choose-membership]


# --8<-- [start:act-for-tenant]
async def act_for_tenant(
    request: Request,
    claims: ClaimsDep,
    identity: IdentityServicesDep,
    directory: TenantDirectoryDep,
    requested: Annotated[TenantId | None, Depends(requested_tenant)],
) -> Tenant:
    """Admit the caller to the tenant they act for, and say what they may do there.

    FastAPI solves the parameters in order: the access token first (401 without a
    valid one, before the header is even read), then the header. The caller's
    memberships come from their token, so the hot path sends no statement for them, and
    the tenant from the directory's cache (ADR 70).

    Raises:
        AuthenticationRequiredError: No valid access token.
        MalformedTenantError: The header is not a tenant id.
        MissingTenantError: No header, and the caller belongs to none or to several.
        UnknownTenantError: The caller is no member of the tenant, or it does not exist.
    """
    membership = chosen_membership(await caller_memberships(claims, identity), requested)
    tenant = await resolve_tenant(request, directory, membership.tenant_id)
    # --8<-- [start:actor-on-request]
    request.state.actor = Actor(claims.subject, permissions_of(membership.role))
    # --8<-- [end:actor-on-request]
    return tenant


# --8<-- [end:act-for-tenant]

PROBLEM_TYPES: Mapping[type[Exception], tuple[int, str, str]] = {
    PermissionDeniedError: (403, "forbidden", "Not allowed"),
}
"""The problem type of a refused permission, in the shop's one catalogue."""

REMEDIES: Remedies = {
    "forbidden": Remedy(
        "The caller is a member of the tenant, but their role lacks the permission the"
        " action needs; the detail names it (the permission matrix lists who has which).",
        "Act as a member with that permission, or have an owner grant a role that has it"
        " (`shop users grant EMAIL TENANT ROLE`), then get a new access token.",
    ),
}
"""What a refused permission means, and what to do about it."""
