"""The query port: reads that return views and never load aggregates (ADR 12).

Commands go through the ``Customer`` aggregate and a unit of work, because they must
check rules. Queries check none, so they read rows straight into views: one statement
per call, no aggregate and no transaction to commit. The endpoints and commands that
only read call this port directly; there is no use case in between that would only
pass the call on.
"""

from typing import Protocol
from uuid import UUID

from app.application.dto.customer_views import CustomerPage, CustomerView


# --8<-- [start:customer-queries]
class CustomerQueries(Protocol):
    """Reads of the customer directory."""

    async def get(self, customer_id: UUID, /) -> CustomerView:
        """Return one customer, active or not.

        Raises:
            CustomerNotFoundError: No customer has this id.
        """
        ...

    async def list_page(self, *, after: str | None, limit: int) -> CustomerPage:
        """Return up to ``limit`` customers in ascending e-mail order.

        Keyset pagination: with ``after``, the page starts at the first address greater
        than the one in the :class:`~app.application.dto.customer_views.CustomerCursor`
        that ``after`` encodes. ``next_cursor`` encodes the page's last address when more
        customers follow, else it is ``None``.

        Args:
            after: A ``next_cursor`` from an earlier page, or ``None`` for the first page.
            limit: The page size, 1 to ``MAX_PAGE_SIZE`` (``ListCustomers`` checks it).

        Raises:
            InvalidCursorError: ``after`` is not a cursor of this list.
        """
        ...


# --8<-- [end:customer-queries]
