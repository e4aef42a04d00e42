"""What the products endpoints need, and where they find it.

:class:`CatalogServices` is the catalog's port on the application that serves it: what
that application must be able to make, each collaborator for one tenant. The
dependencies below read the things the platform promises (see
:mod:`catalog.presentation`), the services on ``request.app.state`` and the request's
tenant and actor on ``request.state``, with the infrastructure kernel's checked accessors, so
this module knows the ports and nothing about how the platform makes them.
"""

from typing import Annotated, Protocol, runtime_checkable

from fastapi import Depends, Request

from catalog.application.interfaces.product_queries import ProductQueries
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.application.use_cases.read_products import read_products
from infrastructure_kernel.http.request_state import app_services, request_actor, request_tenant
from shared_kernel.authorization import Actor
from shared_kernel.tenancy import TenantId


# --8<-- [start:services-port]
@runtime_checkable
class CatalogServices(Protocol):
    """What the catalog's endpoints need from the application serving them."""

    def catalog_unit_of_work(self, tenant_id: TenantId) -> CatalogUnitOfWork:
        """A fresh unit of work over ``tenant_id``'s catalog."""
        ...

    def product_queries(self, tenant_id: TenantId) -> ProductQueries:
        """The reads of ``tenant_id``'s products."""
        ...


# --8<-- [end:services-port]


# --8<-- [start:dependencies]
def _services(request: Request) -> CatalogServices:
    services: CatalogServices = app_services(request, CatalogServices)
    return services


async def catalog_unit_of_work(request: Request) -> CatalogUnitOfWork:
    """A fresh unit of work for the request's tenant; one command, one transaction."""
    return _services(request).catalog_unit_of_work(request_tenant(request))


async def product_queries(request: Request) -> ProductQueries:
    """The product queries of the request's tenant, if its actor may read the catalog."""
    queries = _services(request).product_queries(request_tenant(request))
    return await read_products(queries, actor=request_actor(request))


async def actor(request: Request) -> Actor:
    """Who the request acts as, for the use cases to check what they may do."""
    return request_actor(request)


UnitOfWorkDep = Annotated[CatalogUnitOfWork, Depends(catalog_unit_of_work)]
ProductQueriesDep = Annotated[ProductQueries, Depends(product_queries)]
ActorDep = Annotated[Actor, Depends(actor)]
# --8<-- [end:dependencies]
