"""The order repository on SQLAlchemy Core: whole orders, with their lines."""

from collections.abc import Sequence

from sqlalchemy import RowMapping, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure_kernel.database.tenant_scope import TenantScope
from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.infrastructure.database.mapping import line_rows, to_line
from ordering.infrastructure.database.tables import order_lines, orders
from shared_kernel.events import DomainEvent
from shared_kernel.repository import ConcurrencyConflictError


def _to_order(scope: TenantScope, row: RowMapping, lines: Sequence[OrderLine]) -> Order:
    return Order(
        OrderId(row["order_id"]),
        tenant_id=scope.tenant_id,
        lines=lines,
        status=OrderStatus(row["status"]),
        placed_at=row["placed_at"],
        version=row["version"],
    )


# --8<-- [start:repository]
class SqlAlchemyOrderRepository:
    """One tenant's orders in the ``orders`` and ``order_lines`` tables.

    It works inside its unit of work's transaction, remembers every order it loaded or
    was given, and :meth:`store_changes` writes those that recorded events: an order
    records an event for every change, so one without events has nothing to store.
    """

    def __init__(self, connection: AsyncConnection, scope: TenantScope) -> None:
        """Work inside ``connection``'s transaction, on ``scope``'s rows only.

        Args:
            connection: The unit of work's connection, with its transaction begun.
            scope: The tenant whose orders these are.
        """
        self._connection = connection
        self._scope = scope
        self._seen: dict[OrderId, Order] = {}

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
        order = _to_order(self._scope, row, [to_line(line) for line in lines.mappings()])
        self._seen[order.id] = order
        return order

    async def add(self, order: Order, /) -> None:
        """Remember a new order; :meth:`store_changes` inserts it with its lines.

        Raises:
            ValueError: The order belongs to another tenant; that is a bug, not a
                request to refuse politely.
        """
        if order.tenant_id != self._scope.tenant_id:
            raise ValueError(
                f"an order of {order.tenant_id} cannot join the orders of {self._scope.tenant_id}"
            )
        self._seen[order.id] = order

    # --8<-- [start:store-changes]
    async def store_changes(self) -> list[DomainEvent]:
        """Write every new or changed order; return the events that describe the changes.

        Raises:
            ConcurrencyConflictError: An order was changed by someone else since it was
                loaded.
        """
        events: list[DomainEvent] = []
        for order in self._seen.values():
            changes = order.pull_events()
            if not changes:
                continue
            if order.version == 0:
                await self._insert(order)
            else:
                await self._update(order)
            order.increment_version()
            events.extend(changes)
        return events

    async def _insert(self, order: Order) -> None:
        await self._connection.execute(
            insert(orders).values(
                self._scope.row(
                    order_id=order.id.value,
                    status=order.status.value,
                    placed_at=order.placed_at,
                    version=1,
                )
            )
        )
        # One statement for all lines (executemany), however many there are.
        await self._connection.execute(insert(order_lines), line_rows(self._scope, order))

    async def _update(self, order: Order) -> None:
        # Lines never change, so only the status moves. Optimistic concurrency: the row
        # changes only if its version is still the one we loaded; otherwise no row
        # matches, and we refuse to overwrite what someone else stored.
        result = await self._connection.execute(
            self._scope.update(orders)
            .where(orders.c.order_id == order.id.value, orders.c.version == order.version)
            .values(status=order.status.value, version=order.version + 1)
        )
        if result.rowcount != 1:
            raise ConcurrencyConflictError(
                f"order {order.id} was changed by someone else; reload it and try again"
            )

    # --8<-- [end:store-changes]


# --8<-- [end:repository]
