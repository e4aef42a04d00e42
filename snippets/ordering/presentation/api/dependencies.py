"""What the orders endpoints need, and where they find it.

:class:`OrderingServices` is ordering's port on the application that serves it: what
that application must be able to make, each collaborator for one tenant, and the clock.
The dependencies below read the things the platform promises (see
:mod:`ordering.presentation`), the services on ``request.app.state`` and the request's
tenant and actor on ``request.state``, with the infrastructure kernel's checked accessors, so this
module knows the ports and nothing about how the platform makes them.
"""

from typing import Annotated, Protocol, runtime_checkable

from fastapi import Depends, Request

from infrastructure_kernel.http.request_state import app_services, request_actor, request_tenant
from ordering.application.interfaces.order_queries import OrderQueries
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.application.use_cases.read_orders import read_orders
from shared_kernel.authorization import Actor
from shared_kernel.clock import Clock
from shared_kernel.tenancy import TenantId


# --8<-- [start:services-port]
@runtime_checkable
class OrderingServices(Protocol):
    """What ordering's endpoints need from the application serving them.

    Each is made for the request's tenant; the unit of work reads the catalog of that
    same tenant, so an order can only contain its own tenant's products.
    """

    def ordering_unit_of_work(self, tenant_id: TenantId) -> OrderingUnitOfWork:
        """A fresh unit of work over ``tenant_id``'s orders and idempotency keys."""
        ...

    def order_queries(self, tenant_id: TenantId) -> OrderQueries:
        """The reads of ``tenant_id``'s orders."""
        ...

    @property
    def clock(self) -> Clock:
        """Where the use cases get the time."""
        ...


# --8<-- [end:services-port]


# --8<-- [start:dependencies]
def _services(request: Request) -> OrderingServices:
    services: OrderingServices = app_services(request, OrderingServices)
    return services


async def ordering_unit_of_work(request: Request) -> OrderingUnitOfWork:
    """A fresh unit of work for the request's tenant; one command, one transaction."""
    return _services(request).ordering_unit_of_work(request_tenant(request))


async def order_queries(request: Request) -> OrderQueries:
    """The order queries of the request's tenant, if its actor may read the orders."""
    queries = _services(request).order_queries(request_tenant(request))
    return await read_orders(queries, actor=request_actor(request))


async def clock(request: Request) -> Clock:
    """Where the endpoints' use cases get the time."""
    return _services(request).clock


async def actor(request: Request) -> Actor:
    """Who the request acts as, for the use cases to check what they may do."""
    return request_actor(request)


UnitOfWorkDep = Annotated[OrderingUnitOfWork, Depends(ordering_unit_of_work)]
OrderQueriesDep = Annotated[OrderQueries, Depends(order_queries)]
ClockDep = Annotated[Clock, Depends(clock)]
ActorDep = Annotated[Actor, Depends(actor)]
# --8<-- [end:dependencies]
