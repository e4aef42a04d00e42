"""What tenancy's endpoints and commands need, and where they find it.

:class:`TenancyServices` is tenancy's port on the application that serves it, as the
other contexts have theirs (ADR 17): the HTTP dependency below reads it from
``request.app.state.services`` and checks it, and the ``shop tenants`` commands get
it from the platform's command runner.
"""

from typing import Annotated, Protocol, runtime_checkable

from fastapi import Depends, Request

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
    services = getattr(request.app.state, "services", None)
    if not isinstance(services, TenancyServices):
        raise TypeError(
            "request.app.state.services must implement tenancy's port,"
            f" TenancyServices; got {type(services).__name__}"
        )
    return services.tenant_directory()


TenantDirectoryDep = Annotated[TenantDirectory, Depends(tenant_directory)]
