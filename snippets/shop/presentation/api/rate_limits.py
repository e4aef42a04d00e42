"""Which of the shop's quotas a request counts against: its address, user and tenant.

The rate limit runs at the edge, before routing and before any endpoint's dependency
has checked the caller, so it verifies the request's access token itself, with the same
verifier the endpoints use (:func:`identity.presentation.api.dependencies.authenticated_subject`).
A token that fails verification counts as none: the request is then limited by its
address alone, and the endpoint answers it with a 401.
"""

from collections.abc import Mapping

from starlette.requests import Request

from identity.application.interfaces.access_tokens import InvalidAccessTokenError
from identity.infrastructure.security.jwks_verifier import KeysUnavailableError
from identity.presentation.api.dependencies import IdentityServices
from infrastructure_kernel.http.rate_limit import client_address
from infrastructure_kernel.http.request_state import app_services
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId
from tenancy.presentation.api.tenancy import TENANT_HEADER

MAX_TOKEN = 8 * 1024
"""A longer bearer token is not verified here: no token the shop accepts is that long."""


# --8<-- [start:request-partitions]
async def request_partitions(request: Request) -> Mapping[str, str]:
    """The request's partitions: its address always; its user and tenant once verified.

    The tenant counts only for a request with a verified token: were the header enough,
    anyone could spend a tenant's quota by naming it, and lock its users out.
    """
    partitions = {"address": client_address(request)}
    subject = await _verified_subject(request)
    if subject is not None:
        partitions["user"] = subject
        tenant = _tenant(request.headers.get(TENANT_HEADER, ""))
        if tenant is not None:
            partitions["tenant"] = tenant
    return partitions


def _tenant(header: str) -> str | None:
    try:
        return str(TenantId(header))
    except InvalidValueError:
        return None  # not a tenant's id: resolving the tenant answers it with a 422


async def _verified_subject(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN:
        return None
    services: IdentityServices = app_services(request, IdentityServices)
    try:
        claims = await services.access_token_verifier().verify(token.strip())
    except (InvalidAccessTokenError, KeysUnavailableError):
        return None  # the endpoint's own check answers: 401, or 503
    return claims.subject


# --8<-- [end:request-partitions]
