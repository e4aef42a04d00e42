"""Ordering's query adapter: views straight from rows, two statements per page.

No aggregate is loaded: the statements select the columns a view shows, and the views
are built with :meth:`~ordering.application.dto.order_views.OrderDetails.from_parts`, so totals
are still computed by the domain's code. However many orders a page holds, it costs
two statements: the page of orders, then the lines of all of them with one ``IN``.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infrastructure_kernel.database.read_connection import read_connection
from infrastructure_kernel.database.tenant_scope import TenantScope
from infrastructure_kernel.pagination import decode_cursor, encode_cursor
from ordering.application.dto.order_views import OrderCursor, OrderDetails, OrderPage
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.errors import OrderNotFoundError
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.infrastructure.database.mapping import to_line
from ordering.infrastructure.database.tables import order_lines, orders
from shared_kernel.tenancy import TenantId


# --8<-- [start:order-queries]
class SqlAlchemyOrderQueries:
    """Reads of ``tenant_id``'s orders, each on a short connection of its own, in autocommit.

    The two statements of a read see the same order and lines without a transaction
    around them: an order's lines are inserted with it, in its transaction, and never
    change, so a statement that sees the order sees all of its lines.
    """

    def __init__(
        self, engine: AsyncEngine, tenant_id: TenantId, *, placed_by: str | None = None
    ) -> None:
        self._engine = engine
        self._scope = TenantScope(tenant_id)
        self._placed_by = placed_by

    def placed_by(self, subject: str, /) -> "SqlAlchemyOrderQueries":
        """The same reads, of the orders ``subject`` placed: one condition more on each."""
        return SqlAlchemyOrderQueries(self._engine, self._scope.tenant_id, placed_by=subject)

    def _orders(self) -> Select[Any]:
        # Exactly the columns a view shows: no version, no tenant.
        statement = self._scope.select(
            orders, orders.c.order_id, orders.c.status, orders.c.placed_at
        )
        if self._placed_by is not None:
            # On the order, not on its lines: the lines are read by the ids found here.
            statement = statement.where(orders.c.placed_by == self._placed_by)
        return statement

    async def get(self, order_id: UUID, /) -> OrderDetails:
        """Two statements: the order, then its lines."""
        async with read_connection(self._engine) as connection:
            found = await connection.execute(self._orders().where(orders.c.order_id == order_id))
            row = found.one_or_none()
            if row is None:
                raise OrderNotFoundError(order_id)
            [details] = await self._with_lines(connection, [row])
        return details

    # --8<-- [start:list-page]
    async def list_page(
        self, *, after: str | None, limit: int, status: OrderStatus | None = None
    ) -> OrderPage:
        """Two statements, whatever the page size: the orders, then all their lines."""
        # --8<-- [start:keyset]
        statement = self._orders().order_by(orders.c.placed_at.desc(), orders.c.order_id.desc())
        if status is not None:
            statement = statement.where(orders.c.status == status.value)
        if after is not None:
            last = decode_cursor(after, OrderCursor)
            # A row value comparison: strictly below the last order of the previous page.
            # A plain tuple on the right binds each value with its column's type.
            key = tuple_(orders.c.placed_at, orders.c.order_id)
            statement = statement.where(key < (last.placed_at, last.order_id))
        # --8<-- [end:keyset]
        async with read_connection(self._engine) as connection:
            # One more than asked for: whether it exists says whether a next page does.
            rows = (await connection.execute(statement.limit(limit + 1))).all()
            page = await self._with_lines(connection, rows[:limit])
        more = len(rows) > limit
        next_cursor = (
            encode_cursor(OrderCursor(placed_at=page[-1].placed_at, order_id=page[-1].id))
            if more
            else None
        )
        return OrderPage(items=page, next_cursor=next_cursor)

    # --8<-- [end:list-page]

    # --8<-- [start:lines-in-one-statement]
    async def _with_lines(
        self, connection: AsyncConnection, rows: Sequence[Row[Any]]
    ) -> list[OrderDetails]:
        """Build the views of these orders, reading all their lines in one statement."""
        if not rows:
            return []
        found = await connection.execute(
            self._scope.select(order_lines)
            .where(order_lines.c.order_id.in_([row.order_id for row in rows]))
            .order_by(order_lines.c.order_id, order_lines.c.line_number)
        )
        lines: defaultdict[UUID, list[OrderLine]] = defaultdict(list)
        for line in found.mappings():
            lines[line["order_id"]].append(to_line(line))
        return [
            OrderDetails.from_parts(
                order_id=row.order_id,
                status=OrderStatus(row.status),
                placed_at=row.placed_at,
                lines=lines[row.order_id],
            )
            for row in rows
        ]

    # --8<-- [end:lines-in-one-statement]


# --8<-- [end:order-queries]
