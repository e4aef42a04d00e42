"""Ordering's repository and unit of work on an ``AsyncSession``."""

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from ordering.domain.order import Order
from ordering.domain.value_objects import OrderId
from ordering.infrastructure.unit_of_work import (
    IdempotencyStoreFactory,
    TransactionalIdempotencyStore,
)
from orm_persistence.kernel import EventWriter, SessionUnitOfWork
from orm_persistence.ordering_mapping import load_lines, store_lines
from shared_kernel.tenancy import TenantId


class OrmOrderRepository:
    """One tenant's orders with their lines, through the unit of work's session."""

    def __init__(self, session: AsyncSession, tenant_id: TenantId) -> None:
        """Load and add through ``session``, only ``tenant_id``'s orders."""
        self._session = session
        self._tenant_id = tenant_id

    async def get(self, order_id: OrderId, /) -> Order | None:
        """Load the order with this id and its lines, or ``None``."""
        order = await self._session.get(Order, (self._tenant_id.value, order_id.value))
        if order is not None:
            load_lines(order)
        return order

    async def add(self, order: Order, /) -> None:
        """Add a new order; the commit inserts it with its lines.

        Raises:
            ValueError: The order belongs to another tenant.
        """
        if order.tenant_id != self._tenant_id:
            raise ValueError(
                f"an order of {order.tenant_id} cannot join the orders of {self._tenant_id}"
            )
        store_lines(order)
        self._session.add(order)


class OrmOrderingUnitOfWork(SessionUnitOfWork):
    """A transaction over one tenant's orders, idempotency keys and outbox events."""

    aggregate_name = "order"

    _orders: OrmOrderRepository
    _idempotency_keys: TransactionalIdempotencyStore

    def __init__(
        self,
        engine: AsyncEngine,
        tenant_id: TenantId,
        *,
        write_events: EventWriter,
        idempotency_store: IdempotencyStoreFactory,
    ) -> None:
        """Prepare a unit of work; the same arguments as the Core one takes."""
        super().__init__(engine, tenant_id, write_events)
        self._new_idempotency_store = idempotency_store

    @property
    def orders(self) -> OrmOrderRepository:
        """The tenant's orders, inside this transaction."""
        return self._orders

    @property
    def idempotency_keys(self) -> TransactionalIdempotencyStore:
        """The tenant's idempotency keys, on the session's connection."""
        return self._idempotency_keys

    async def _begin(self, connection: AsyncConnection) -> None:
        self._orders = OrmOrderRepository(self._session, self._tenant_id)
        self._idempotency_keys = self._new_idempotency_store(connection, self._tenant_id)

    async def _store_extras(self, connection: AsyncConnection) -> None:
        del connection
        await self._idempotency_keys.store_changes()
