"""The catalog's query port: reads that return views and never load aggregates.

Commands go through aggregates and a unit of work, because they must check rules.
Queries check none, so they read rows straight into views: one statement per call,
no aggregate and no transaction to commit.
"""

from collections.abc import Callable, Collection, Sequence
from typing import Protocol
from uuid import UUID

from catalog.application.dto.product_views import ProductPage, ProductView
from shared_kernel.tenancy import TenantId


class ProductQueries(Protocol):
    """Reads of one tenant's products.

    Made for one tenant by a :data:`ProductQueriesFactory`; every statement is limited to
    that tenant's rows, so no method takes a tenant, and another tenant's product is as
    absent as one that does not exist.
    """

    async def get(self, product_id: UUID, /) -> ProductView:
        """Return one product, discontinued or not.

        Raises:
            ProductNotFoundError: The tenant has no product with this id.
        """
        ...

    async def get_many(self, product_ids: Collection[UUID], /) -> Sequence[ProductView]:
        """Return the products with these ids, in no particular order, in one statement.

        Ids the tenant has no product for are left out rather than raising, so the
        caller decides what a missing product means.
        """
        ...

    async def list_page(
        self, *, after: str | None, limit: int, active_only: bool = False
    ) -> ProductPage:
        """Return up to ``limit`` products in ascending SKU order.

        Keyset pagination: with ``after``, the page starts at the first SKU greater than
        the one in the :class:`~catalog.application.dto.product_views.ProductCursor` that
        ``after`` encodes. ``next_cursor`` encodes the page's last SKU when more products
        follow, else it is ``None``; read ``limit + 1`` rows to know.

        Args:
            after: A ``next_cursor`` from an earlier page, or ``None`` for the first page.
            limit: The page size, 1 to ``MAX_PAGE_SIZE`` (the input model, ``ListProducts``,
                checks it).
            active_only: Leave out discontinued products.

        Raises:
            InvalidCursorError: ``after`` is not a cursor of this list.
        """
        ...


ProductQueriesFactory = Callable[[TenantId], ProductQueries]
"""Makes the query object for one tenant; the composition root supplies it."""
