"""Ordering's endpoints wired to the platform: a provider for each stub dependency.

:mod:`ordering.presentation.dependencies` declares what the orders endpoints need; the
providers here make it from the app's services for the tenant that the router-level
``resolve_tenant`` resolved. FastAPI solves that dependency once per request, so the
unit of work, the queries and the catalog of a request are all bound to the same
tenant, which was looked up once.
"""

from ordering.application.product_catalog import ProductCatalog
from ordering.application.queries import OrderQueries
from ordering.application.unit_of_work import OrderingUnitOfWork
from ordering.presentation import dependencies
from shared_kernel.clock import Clock
from shop.api.dependencies import Providers, ServicesDep
from shop.api.tenancy import TenantIdDep


# --8<-- [start:providers]
def ordering_unit_of_work(services: ServicesDep, tenant_id: TenantIdDep) -> OrderingUnitOfWork:
    """A fresh unit of work over the request's tenant's orders."""
    return services.ordering_unit_of_work(tenant_id)


def order_queries(services: ServicesDep, tenant_id: TenantIdDep) -> OrderQueries:
    """The reads of the request's tenant's orders."""
    return services.order_queries(tenant_id)


def product_catalog(services: ServicesDep, tenant_id: TenantIdDep) -> ProductCatalog:
    """The request's tenant's products, as ordering sees them."""
    return services.product_catalog(tenant_id)


def clock(services: ServicesDep) -> Clock:
    """The services' clock."""
    return services.clock


PROVIDERS: Providers = {
    dependencies.ordering_unit_of_work: ordering_unit_of_work,
    dependencies.order_queries: order_queries,
    dependencies.product_catalog: product_catalog,
    dependencies.clock: clock,
}
# --8<-- [end:providers]
