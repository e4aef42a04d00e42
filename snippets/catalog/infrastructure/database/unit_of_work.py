"""The catalog's unit of work on one SQLAlchemy connection and its transaction."""

from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from catalog.infrastructure.database.product_repository import SqlAlchemyProductRepository
from infrastructure_kernel.database.connection_unit_of_work import ConnectionUnitOfWork
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId

EventWriter = Callable[[AsyncConnection, TenantId, Sequence[DomainEvent]], Awaitable[None]]
"""Stores events inside the caller's transaction: the platform's transactional outbox.

Handed in by the composition root, so the catalog never names the platform's table.
"""


# --8<-- [start:unit-of-work]
class SqlAlchemyCatalogUnitOfWork(ConnectionUnitOfWork):
    """One tenant's catalog transaction; implements ``CatalogUnitOfWork``.

    The connection, the transaction and the commit are the kernel's
    :class:`ConnectionUnitOfWork`; this class makes the tenant's repository and sends
    the events to the platform's outbox.
    """

    _products: SqlAlchemyProductRepository

    def __init__(self, engine: AsyncEngine, tenant_id: TenantId, write_events: EventWriter) -> None:
        """Prepare a unit of work; the connection is taken from the pool on entry.

        Args:
            engine: Where connections come from.
            tenant_id: The tenant whose products this unit of work reads and writes.
            write_events: Stores the recorded events in the same transaction.
        """
        super().__init__(engine)
        self._tenant_id = tenant_id
        self._write_events_of_tenant = write_events

    @property
    def tenant_id(self) -> TenantId:
        """The tenant this unit of work was made for."""
        return self._tenant_id

    @property
    def products(self) -> SqlAlchemyProductRepository:
        """The tenant's products, inside this transaction."""
        return self._products

    def _open(self, connection: AsyncConnection) -> list[SqlAlchemyProductRepository]:
        self._products = SqlAlchemyProductRepository(connection, self._tenant_id)
        return [self._products]

    async def _write_events(self, connection: AsyncConnection, events: list[DomainEvent]) -> None:
        await self._write_events_of_tenant(connection, self._tenant_id, events)


# --8<-- [end:unit-of-work]
