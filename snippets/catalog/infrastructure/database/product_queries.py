"""The catalog's query port on SQLAlchemy Core: rows straight into views.

Each method runs one statement and builds views from the rows; it never loads an
aggregate and has no transaction to commit. Made on the engine, it takes a short
connection of its own per statement, outside any transaction
(:func:`~infrastructure_kernel.database.read_connection.read_connection`); made on a
connection, it reads there, inside whatever transaction that connection is in: ordering
prices an order this way, in the order's own transaction.
"""

from collections.abc import Collection, Sequence
from uuid import UUID

from sqlalchemy import Executable, RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from catalog.application.dto.product_views import ProductCursor, ProductPage, ProductView
from catalog.domain.errors import ProductNotFoundError
from catalog.infrastructure.database.mapping import to_view
from catalog.infrastructure.database.tables import products
from infrastructure_kernel.database.read_connection import read_connection
from infrastructure_kernel.database.tenant_scope import TenantScope
from infrastructure_kernel.pagination import decode_cursor, encode_cursor
from shared_kernel.tenancy import TenantId


# --8<-- [start:product-queries]
class SqlAlchemyProductQueries:
    """Reads of ``tenant_id``'s products, on the engine's pool or on a given connection."""

    def __init__(self, source: AsyncEngine | AsyncConnection, tenant_id: TenantId) -> None:
        self._source = source
        self._scope = TenantScope(tenant_id)

    async def get(self, product_id: UUID, /) -> ProductView:
        """One ``SELECT`` by the tenant and the primary key."""
        rows = await self._fetch(
            self._scope.select(products).where(products.c.product_id == product_id)
        )
        if not rows:
            raise ProductNotFoundError(product_id)
        return to_view(rows[0])

    async def get_many(self, product_ids: Collection[UUID], /) -> Sequence[ProductView]:
        """One ``SELECT ... IN``, and none at all for no ids."""
        if not product_ids:
            return []  # no statement needed to find nothing
        rows = await self._fetch(
            self._scope.select(products).where(products.c.product_id.in_(product_ids))
        )
        return [to_view(row) for row in rows]

    # --8<-- [start:keyset-page]
    async def list_page(
        self, *, after: str | None, limit: int, active_only: bool = False
    ) -> ProductPage:
        """One ``SELECT`` that seeks in the ``(tenant_id, sku)`` index, however deep the page."""
        statement = self._scope.select(products).order_by(products.c.sku).limit(limit + 1)
        if active_only:
            statement = statement.where(products.c.active)
        if after is not None:
            # ">" and ORDER BY use the same collation, so pages neither overlap nor skip.
            statement = statement.where(products.c.sku > decode_cursor(after, ProductCursor).sku)
        rows = await self._fetch(statement)
        # The one row more than a page tells whether another page follows.
        page, more = rows[:limit], len(rows) > limit
        return ProductPage(
            items=[to_view(row) for row in page],
            next_cursor=encode_cursor(ProductCursor(sku=page[-1]["sku"])) if more else None,
        )

    # --8<-- [end:keyset-page]

    async def _fetch(self, statement: Executable) -> Sequence[RowMapping]:
        if isinstance(self._source, AsyncConnection):
            return (await self._source.execute(statement)).mappings().all()
        async with read_connection(self._source) as connection:
            return (await connection.execute(statement)).mappings().all()


# --8<-- [end:product-queries]
