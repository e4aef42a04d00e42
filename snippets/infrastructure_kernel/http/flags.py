"""Feature flags in an endpoint: evaluated through OpenFeature for the request's tenant.

The deployable leaves an OpenFeature client on ``request.app.state.flags``, as it leaves
its services on ``request.app.state.services`` (:mod:`infrastructure_kernel.http.request_state`);
an endpoint takes :data:`TenantFlagsDep` and asks whether a flag is on, and never learns
what decided it.
"""

from typing import Annotated

from fastapi import Depends, Request
from openfeature.client import OpenFeatureClient
from openfeature.evaluation_context import EvaluationContext

from infrastructure_kernel.flags.definitions import FlagDefinition
from infrastructure_kernel.http.request_state import request_tenant
from shared_kernel.tenancy import TenantId


# --8<-- [start:tenant-flags]
class TenantFlags:
    """The flags as they are for one tenant."""

    def __init__(self, client: OpenFeatureClient, tenant_id: TenantId) -> None:
        self._client = client
        # The tenant is the targeting key: what a rule's tenants and percentage match.
        self._context = EvaluationContext(targeting_key=tenant_id.value)

    async def is_on(self, flag: FlagDefinition) -> bool:
        """Whether ``flag`` is on for the tenant; its default if it cannot be evaluated."""
        return await self._client.get_boolean_value_async(flag.key, flag.default, self._context)


# A coroutine, though it awaits nothing: FastAPI runs a plain function in its thread pool.
async def request_flags(request: Request) -> TenantFlags:
    """The flags for the request's tenant.

    Raises:
        TypeError: The app left no OpenFeature client on ``app.state.flags``.
    """
    client = getattr(request.app.state, "flags", None)
    if not isinstance(client, OpenFeatureClient):
        raise TypeError(
            f"request.app.state.flags must be an OpenFeatureClient; got {type(client).__name__}"
        )
    return TenantFlags(client, request_tenant(request))


TenantFlagsDep = Annotated[TenantFlags, Depends(request_flags)]
"""An endpoint's parameter: the flags of the request's tenant."""
# --8<-- [end:tenant-flags]
