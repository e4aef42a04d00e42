"""The order repository on SQLAlchemy Core: whole orders, with their lines."""

from collections.abc import Sequence

from sqlalchemy import RowMapping, Update, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure_kernel.database.tenant_scope import TenantScope
from infrastructure_kernel.database.tracked_repository import TrackedRepository
from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.infrastructure.database.mapping import line_rows, to_line
from ordering.infrastructure.database.tables import order_lines, orders


def _to_order(scope: TenantScope, row: RowMapping, lines: Sequence[OrderLine]) -> Order:
    return Order(
        OrderId(row["order_id"]),
        tenant_id=scope.tenant_id,
        lines=lines,
        status=OrderStatus(row["status"]),
        placed_at=row["placed_at"],
        placed_by=row["placed_by"],
        version=row["version"],
    )


# --8<-- [start:repository]
class SqlAlchemyOrderRepository(TrackedRepository[Order]):
    """One tenant's orders in the ``orders`` and ``order_lines`` tables.

    An order is one row plus a row per line. The kernel's :class:`TrackedRepository`
    stores the changes; this class loads an order with its lines, and says how one is
    inserted and updated.
    """

    aggregate_name = "order"

    def __init__(self, connection: AsyncConnection, scope: TenantScope) -> None:
        """Work inside ``connection``'s transaction, on ``scope``'s rows only.

        Args:
            connection: The unit of work's connection, with its transaction begun.
            scope: The tenant whose orders these are.
        """
        super().__init__(connection)
        self._scope = scope

    async def get(self, order_id: OrderId, /) -> Order | None:
        """Load the order with this id and its lines, or ``None`` when the tenant has none."""
        found = await self._connection.execute(
            self._scope.select(orders).where(orders.c.order_id == order_id.value)
        )
        row = found.mappings().one_or_none()
        if row is None:
            return None
        lines = await self._connection.execute(
            self._scope.select(order_lines)
            .where(order_lines.c.order_id == order_id.value)
            .order_by(order_lines.c.line_number)
        )
        return self._track(_to_order(self._scope, row, [to_line(ln) for ln in lines.mappings()]))

    async def add(self, order: Order, /) -> None:
        """Remember a new order; the commit inserts it with its lines.

        Raises:
            ValueError: The order belongs to another tenant; that is a bug, not a
                request to refuse politely.
        """
        if order.tenant_id != self._scope.tenant_id:
            raise ValueError(
                f"an order of {order.tenant_id} cannot join the orders of {self._scope.tenant_id}"
            )
        self._track(order)

    # --8<-- [start:writes]
    async def _insert(self, aggregate: Order) -> None:
        await self._connection.execute(
            insert(orders).values(
                self._scope.row(
                    order_id=aggregate.id.value,
                    status=aggregate.status.value,
                    placed_at=aggregate.placed_at,
                    placed_by=aggregate.placed_by,
                    version=1,
                )
            )
        )
        # One statement for all lines (executemany), however many there are.
        await self._connection.execute(insert(order_lines), line_rows(self._scope, aggregate))

    def _update(self, aggregate: Order) -> Update:
        # Lines never change after placing, so only the status moves.
        return (
            self._scope.update(orders)
            .where(orders.c.order_id == aggregate.id.value)
            .values(status=aggregate.status.value)
        )

    # --8<-- [end:writes]


# --8<-- [end:repository]
