"""Ordering's unit of work: one tenant, one connection, one transaction.

Two things it writes belong to the platform, not to ordering: the outbox and the
idempotency keys. The unit of work never names their tables; the composition root
hands it an :data:`EventWriter` and an :data:`IdempotencyStoreFactory` (in the shop,
``shop.infrastructure.database.outbox.write_events`` and the store of
``shop.infrastructure.database.idempotency``). What it reads of the catalog, the prices
of an order's products, comes through a :data:`ProductCatalogOnConnection` on the same
connection, so placing an order takes one connection from the pool, not two.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infrastructure_kernel.database.connection_unit_of_work import ConnectionUnitOfWork
from infrastructure_kernel.database.tenant_scope import TenantScope
from ordering.application.interfaces.idempotency_store import IdempotencyStore
from ordering.application.interfaces.product_catalog import ProductCatalog
from ordering.infrastructure.database.order_repository import SqlAlchemyOrderRepository
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId

# --8<-- [start:collaborators]
EventWriter = Callable[[AsyncConnection, TenantId, Sequence[DomainEvent]], Awaitable[None]]
"""Appends one tenant's events to the outbox, inside the given connection's transaction."""


class TransactionalIdempotencyStore(IdempotencyStore, Protocol):
    """The application's :class:`IdempotencyStore`, plus the write its unit of work calls.

    Keys are remembered in memory and written by :meth:`store_changes` as the unit of
    work commits, so a key is stored with the order it placed or not at all. The extra
    method is the unit of work's business, so it is not part of the application's port.
    """

    async def store_changes(self) -> None:
        """Write the keys remembered since the unit of work began.

        Raises:
            ConcurrencyConflictError: A concurrent request stored one of the keys first.
        """
        ...


IdempotencyStoreFactory = Callable[[AsyncConnection, TenantId], TransactionalIdempotencyStore]
"""Makes the idempotency store of one tenant, inside the given connection's transaction."""

ProductCatalogOnConnection = Callable[[AsyncConnection, TenantId], ProductCatalog]
"""Makes the catalog of one tenant as ordering sees it, reading on the given connection."""
# --8<-- [end:collaborators]


# --8<-- [start:unit-of-work]
class SqlAlchemyOrderingUnitOfWork(ConnectionUnitOfWork):
    """A transaction over one tenant's orders, idempotency keys and outbox events.

    The connection, the transaction and the commit are the kernel's
    :class:`ConnectionUnitOfWork`; this class makes the tenant's repository and
    idempotency store, writes the keys as the commit's extras, and sends the events to
    the platform's outbox.
    """

    _orders: SqlAlchemyOrderRepository
    _idempotency_keys: TransactionalIdempotencyStore
    _products: ProductCatalog

    def __init__(
        self,
        engine: AsyncEngine,
        tenant_id: TenantId,
        *,
        write_events: EventWriter,
        idempotency_store: IdempotencyStoreFactory,
        product_catalog: ProductCatalogOnConnection,
    ) -> None:
        """Prepare a unit of work for one tenant; the connection is taken on entry.

        Args:
            engine: Where connections come from.
            tenant_id: Whose orders this unit of work reads and writes.
            write_events: Stores the events of the committed changes in the outbox.
            idempotency_store: Makes the store of the tenant's idempotency keys.
            product_catalog: Makes the tenant's catalog, as ordering sees it.
        """
        super().__init__(engine)
        self._tenant_id = tenant_id
        self._write_events_of_tenant = write_events
        self._new_idempotency_store = idempotency_store
        self._new_product_catalog = product_catalog

    @property
    def tenant_id(self) -> TenantId:
        """The tenant this unit of work was made for; new orders belong to it."""
        return self._tenant_id

    @property
    def orders(self) -> SqlAlchemyOrderRepository:
        """The tenant's orders, inside this transaction."""
        return self._orders

    @property
    def idempotency_keys(self) -> TransactionalIdempotencyStore:
        """The tenant's idempotency keys, inside this transaction."""
        return self._idempotency_keys

    @property
    def products(self) -> ProductCatalog:
        """The tenant's products, read on this unit of work's connection."""
        return self._products

    def _open(self, connection: AsyncConnection) -> list[SqlAlchemyOrderRepository]:
        self._orders = SqlAlchemyOrderRepository(connection, TenantScope(self._tenant_id))
        self._idempotency_keys = self._new_idempotency_store(connection, self._tenant_id)
        self._products = self._new_product_catalog(connection, self._tenant_id)
        return [self._orders]

    # --8<-- [start:extras]
    async def _store_extras(self) -> None:
        # After the orders, so a key is written only with the order it placed; a key
        # that a concurrent request stored first fails the whole commit.
        await self._idempotency_keys.store_changes()

    # --8<-- [end:extras]

    async def _write_events(self, connection: AsyncConnection, events: list[DomainEvent]) -> None:
        await self._write_events_of_tenant(connection, self._tenant_id, events)


# --8<-- [end:unit-of-work]
