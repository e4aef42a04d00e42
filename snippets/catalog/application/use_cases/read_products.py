"""Read the tenant's products: the queries, for an actor who may read the catalog."""

from catalog.application.interfaces.product_queries import ProductQueries
from shared_kernel.authorization import Actor, Permission


# --8<-- [start:read-products]
async def read_products(queries: ProductQueries, *, actor: Actor) -> ProductQueries:
    """Hand out the tenant's product queries to an actor allowed ``catalog:read``.

    The reads have no use case of their own, each a query method; the application
    checks the permission here, where every entry point (REST, GraphQL) gets them.

    Raises:
        PermissionDeniedError: The actor may not read the catalog.
    """
    actor.require(Permission.CATALOG_READ)
    return queries


# --8<-- [end:read-products]
