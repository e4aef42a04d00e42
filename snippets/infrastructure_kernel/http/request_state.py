"""What a context's HTTP dependencies read from the request, checked.

A context's endpoints need collaborators that only the deployable knows how to make, and
a context must not import the deployable (ADR 17). So the deployable keeps two promises,
the same two for every context: its services, which implement each context's port, are
on ``request.app.state.services``, and the request's tenant, once resolved, is on
``request.state.tenant_id``, with who it acts as on ``request.state.actor``. The
functions below read them and check them, so that a
broken promise fails on the first request with a ``TypeError`` that names it.
"""

from typing import Any, TypeVar

from starlette.requests import Request

from shared_kernel.authorization import Actor
from shared_kernel.tenancy import TenantId

PortT = TypeVar("PortT")
ValueT = TypeVar("ValueT")


# --8<-- [start:request-state]
# The port is a Protocol class, which mypy refuses where ``type[PortT]`` is expected
# (python/mypy#4717); the return annotation of each caller carries the type.
def app_services(request: Request, port: type[Any]) -> Any:
    """Return the app's services, which must implement ``port`` (a runtime-checkable Protocol).

    Raises:
        TypeError: The app has no services, or they lack a method of ``port``.
    """
    services = getattr(request.app.state, "services", None)
    if not isinstance(services, port):
        raise TypeError(
            f"request.app.state.services must implement {port.__name__};"
            f" got {type(services).__name__}"
        )
    return services


def request_tenant(request: Request) -> TenantId:
    """Return the request's tenant, which the serving app resolves before a context's endpoints.

    Raises:
        TypeError: Nothing resolved the tenant: the router was mounted without the
            tenant resolution in front.
    """
    return _set_by_the_app(request, "tenant_id", TenantId)


def _set_by_the_app(request: Request, name: str, kind: type[ValueT]) -> ValueT:
    """Return ``request.state.NAME``, which must be the ``kind`` the serving app set."""
    value = getattr(request.state, name, None)
    if not isinstance(value, kind):
        raise TypeError(
            f"request.state.{name} must be the {kind.__name__} that the serving application"
            f" sets before a context's endpoints run; got {type(value).__name__}"
        )
    return value


# --8<-- [end:request-state]


# --8<-- [start:request-actor]
def request_actor(request: Request) -> Actor:
    """Return who the request acts as, which the serving app sets with the tenant.

    Raises:
        TypeError: Nothing admitted the caller: the router was mounted without the
            tenant access in front.
    """
    return _set_by_the_app(request, "actor", Actor)


# --8<-- [end:request-actor]
