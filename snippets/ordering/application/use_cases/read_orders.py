"""Read orders: the queries an actor may use, every order of the tenant or their own."""

from ordering.application.interfaces.order_queries import OrderQueries
from shared_kernel.authorization import Actor, Permission


# --8<-- [start:read-orders]
async def read_orders(queries: OrderQueries, *, actor: Actor) -> OrderQueries:
    """Hand out the order queries ``actor`` may use.

    An actor allowed ``orders:read`` reads every order of the tenant; one allowed only
    ``orders:read-own`` (a customer) reads the orders they placed, and no other: the
    queries are narrowed here, so every entry point (REST, GraphQL, the status stream)
    gets the narrowed ones, and none can forget to filter.

    Raises:
        PermissionDeniedError: The actor may read no orders.
    """
    actor.require(Permission.ORDERS_READ_OWN)
    if Permission.ORDERS_READ in actor.permissions:
        return queries
    return queries.placed_by(actor.subject)


# --8<-- [end:read-orders]
