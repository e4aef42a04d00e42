"""Ordering's repository and unit of work on the Core kernel."""

from typing import Any

from sqlalchemy import Update, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core_kernel.kernel import ConnectionUnitOfWork, TrackedRepository
from ordering.domain.order import Order
from ordering.domain.order_status import OrderStatus
from ordering.domain.value_objects import OrderId
from ordering.infrastructure.mapping import line_rows, to_line
from ordering.infrastructure.tables import order_lines, orders
from ordering.infrastructure.tenant_scope import TenantScope
from ordering.infrastructure.unit_of_work import (
    EventWriter,
    IdempotencyStoreFactory,
    TransactionalIdempotencyStore,
)
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId


class OrderRepository(TrackedRepository[Order]):
    """One tenant's orders in the ``orders`` and ``order_lines`` tables."""

    aggregate_name = "order"

    def __init__(self, connection: AsyncConnection, scope: TenantScope) -> None:
        """Work inside ``connection``'s transaction, on ``scope``'s rows only."""
        super().__init__(connection)
        self._scope = scope

    async def get(self, order_id: OrderId, /) -> Order | None:
        """Load the order with this id and its lines, or ``None``."""
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
        return self._track(
            Order(
                order_id,
                tenant_id=self._scope.tenant_id,
                lines=[to_line(line) for line in lines.mappings()],
                status=OrderStatus(row["status"]),
                placed_at=row["placed_at"],
                version=row["version"],
            )
        )

    async def add(self, order: Order, /) -> None:
        """Remember a new order; the commit inserts it with its lines.

        Raises:
            ValueError: The order belongs to another tenant.
        """
        if order.tenant_id != self._scope.tenant_id:
            raise ValueError(
                f"an order of {order.tenant_id} cannot join the orders of {self._scope.tenant_id}"
            )
        self._track(order)

    async def _insert(self, aggregate: Order) -> None:
        row: dict[str, Any] = self._scope.row(
            order_id=aggregate.id.value,
            status=aggregate.status.value,
            placed_at=aggregate.placed_at,
            version=1,
        )
        await self._connection.execute(insert(orders).values(row))
        # One statement for all lines (executemany), however many there are.
        await self._connection.execute(insert(order_lines), line_rows(self._scope, aggregate))

    def _update(self, aggregate: Order) -> Update:
        # Lines never change, so only the status moves.
        return (
            self._scope.update(orders)
            .where(orders.c.order_id == aggregate.id.value)
            .values(status=aggregate.status.value)
        )


class OrderingUnitOfWork(ConnectionUnitOfWork):
    """A transaction over one tenant's orders, idempotency keys and outbox events."""

    _orders: OrderRepository
    _idempotency_keys: TransactionalIdempotencyStore

    def __init__(
        self,
        engine: AsyncEngine,
        tenant_id: TenantId,
        *,
        write_events: EventWriter,
        idempotency_store: IdempotencyStoreFactory,
    ) -> None:
        """Prepare a unit of work; the same arguments as the shop's takes."""
        super().__init__(engine)
        self._tenant_id = tenant_id
        self._write_events_of_tenant = write_events
        self._new_idempotency_store = idempotency_store

    @property
    def tenant_id(self) -> TenantId:
        """The tenant this unit of work was made for."""
        return self._tenant_id

    @property
    def orders(self) -> OrderRepository:
        """The tenant's orders, inside this transaction."""
        return self._orders

    @property
    def idempotency_keys(self) -> TransactionalIdempotencyStore:
        """The tenant's idempotency keys, inside this transaction."""
        return self._idempotency_keys

    def _begin(self, connection: AsyncConnection) -> None:
        self._orders = OrderRepository(connection, TenantScope(self._tenant_id))
        self._idempotency_keys = self._new_idempotency_store(connection, self._tenant_id)

    def _tracked(self) -> list[TrackedRepository[Order]]:
        return [self._orders]

    async def _store_extras(self) -> None:
        await self._idempotency_keys.store_changes()

    async def _write_events(self, connection: AsyncConnection, events: list[DomainEvent]) -> None:
        await self._write_events_of_tenant(connection, self._tenant_id, events)
