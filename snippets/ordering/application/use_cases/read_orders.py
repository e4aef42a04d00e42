"""Read the tenant's orders: the queries, for an actor who may read every order."""

from ordering.application.interfaces.order_queries import OrderQueries
from shared_kernel.authorization import Actor, Permission


async def read_orders(queries: OrderQueries, *, actor: Actor) -> OrderQueries:
    """Hand out the tenant's order queries to an actor allowed ``orders:read``.

    Raises:
        PermissionDeniedError: The actor may not read the tenant's orders.
    """
    actor.require(Permission.ORDERS_READ)
    return queries
