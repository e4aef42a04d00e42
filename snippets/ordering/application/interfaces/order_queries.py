"""Ordering's query port: reads that return views and never load aggregates.

Commands go through the Order aggregate and a unit of work, because they must check
rules. Queries check none, so they read rows straight into views, with a fixed number of
statements however many orders a page holds: the orders, then all their lines at once.
"""

from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from ordering.application.dto.order_views import OrderDetails, OrderPage
from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.tenancy import TenantId


# --8<-- [start:order-queries]
class OrderQueries(Protocol):
    """Reads of one tenant's orders.

    Made for one tenant by an :data:`OrderQueriesFactory`; every statement is limited to
    that tenant's rows, so no method takes a tenant, and another tenant's order is as
    absent as one that does not exist.
    """

    def placed_by(self, subject: str, /) -> "OrderQueries":
        """The same reads, of the orders ``subject`` placed and no others.

        To the returned object an order someone else placed is as absent as one that
        does not exist: ``get`` raises :class:`OrderNotFoundError` for it, and no page
        lists it.
        """
        ...

    async def get(self, order_id: UUID, /) -> OrderDetails:
        """Return one order with its lines and total.

        Raises:
            OrderNotFoundError: The tenant has no order with this id.
        """
        ...

    async def list_page(
        self, *, after: str | None, limit: int, status: OrderStatus | None = None
    ) -> OrderPage:
        """Return up to ``limit`` orders with their lines, newest first.

        Keyset pagination on ``(placed_at, order_id)`` descending: with ``after``, the
        page starts below the :class:`~ordering.application.dto.order_views.OrderCursor`
        that ``after`` encodes. ``next_cursor`` encodes the key of the page's last order
        when more orders follow, else it is ``None``; read ``limit + 1`` rows to know.
        Two statements at most, whatever ``limit`` is: the page of orders, then the
        lines of all of them with one ``IN``.

        Args:
            after: A ``next_cursor`` from an earlier page, or ``None`` for the first page.
            limit: The page size, 1 to ``MAX_PAGE_SIZE`` (the input model, ``ListOrders``,
                checks it).
            status: Only orders in this status; ``None`` for all.

        Raises:
            InvalidCursorError: ``after`` is not a cursor of this list.
        """
        ...


OrderQueriesFactory = Callable[[TenantId], OrderQueries]
"""Makes the query object for one tenant; the composition root supplies it."""
# --8<-- [end:order-queries]
