"""What tenancy's endpoints and commands need, and where they find it.

:class:`TenancyServices` is tenancy's port on the application that serves it, as the
other contexts have theirs (ADR 17): the HTTP dependency below reads it from
``request.app.state.services`` and checks it, and the ``shop tenants`` commands get
it from the platform's command runner.
"""

from typing import Annotated, Protocol, runtime_checkable

from fastapi import Depends, Request

from infrastructure_kernel.http.request_state import app_services
from shared_kernel.clock import Clock
from tenancy.application.interfaces.tenant_directory import TenantDirectory


# --8<-- [start:services-port]
@runtime_checkable
class TenancyServices(Protocol):
    """What tenancy's endpoints and commands need from the application serving them."""

    def tenant_directory(self) -> TenantDirectory:
        """The registered tenants."""
        ...

    @property
    def clock(self) -> Clock:
        """Tells when a tenant is registered."""
        ...


# --8<-- [end:services-port]


async def tenant_directory(request: Request) -> TenantDirectory:
    """The directory of the app that serves the request."""
    services: TenancyServices = app_services(request, TenancyServices)
    return services.tenant_directory()


TenantDirectoryDep = Annotated[TenantDirectory, Depends(tenant_directory)]
