"""The catalog's endpoints wired to the platform: a provider for each stub dependency.

:mod:`catalog.presentation.dependencies` declares what the products endpoints need; the
providers here make it from the app's services for the tenant that the router-level
``resolve_tenant`` resolved (FastAPI solves that dependency once per request, so the
header is read and the tenant looked up once).
"""

from catalog.application.queries import ProductQueries
from catalog.application.unit_of_work import CatalogUnitOfWork
from catalog.presentation import dependencies
from shop.api.dependencies import Providers, ServicesDep
from shop.api.tenancy import TenantIdDep


# --8<-- [start:providers]
def catalog_unit_of_work(services: ServicesDep, tenant_id: TenantIdDep) -> CatalogUnitOfWork:
    """A fresh unit of work over the request's tenant's catalog."""
    return services.catalog_unit_of_work(tenant_id)


def product_queries(services: ServicesDep, tenant_id: TenantIdDep) -> ProductQueries:
    """The reads of the request's tenant's products."""
    return services.product_queries(tenant_id)


PROVIDERS: Providers = {
    dependencies.catalog_unit_of_work: catalog_unit_of_work,
    dependencies.product_queries: product_queries,
}
# --8<-- [end:providers]
