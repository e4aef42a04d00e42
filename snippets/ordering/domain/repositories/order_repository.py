"""The port through which command handlers find and store orders."""

from typing import Protocol

from ordering.domain.entities.order import Order
from ordering.domain.errors import OrderNotFoundError
from ordering.domain.value_objects.order_id import OrderId
from shared_kernel.repository import Repository


class OrderRepository(Repository[Order, OrderId], Protocol):
    """One tenant's orders, as a collection of whole orders with their lines.

    Exactly the kernel's ``get`` and ``add``: commands act on one order at a time, and
    lists are the query port's business. A repository is created for one tenant (by its
    unit of work) and sees only that tenant's orders, so no method takes a tenant.
    """


async def load_order(orders: OrderRepository, order_id: OrderId) -> Order:
    """Load an order that must exist, for handlers that act on one.

    Raises:
        OrderNotFoundError: The tenant has no order with this id.
    """
    order = await orders.get(order_id)
    if order is None:
        raise OrderNotFoundError(order_id.value)
    return order
