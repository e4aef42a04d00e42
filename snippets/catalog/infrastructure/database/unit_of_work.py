"""The catalog's unit of work on one SQLAlchemy connection and its transaction."""

from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from catalog.infrastructure.database.product_repository import SqlAlchemyProductRepository
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId

EventWriter = Callable[[AsyncConnection, TenantId, Sequence[DomainEvent]], Awaitable[None]]
"""Stores events inside the caller's transaction: the platform's transactional outbox.

Handed in by the composition root, so the catalog never names the platform's table.
"""


# --8<-- [start:unit-of-work]
class SqlAlchemyCatalogUnitOfWork:
    """One tenant's catalog transaction; implements ``CatalogUnitOfWork``."""

    _connection: AsyncConnection
    _transaction: AsyncTransaction
    _products: SqlAlchemyProductRepository

    def __init__(self, engine: AsyncEngine, tenant_id: TenantId, write_events: EventWriter) -> None:
        """Prepare a unit of work; the connection is taken from the pool on entry.

        Args:
            engine: Where connections come from.
            tenant_id: The tenant whose products this unit of work reads and writes.
            write_events: Stores the recorded events in the same transaction.
        """
        self._engine = engine
        self._tenant_id = tenant_id
        self._write_events = write_events

    @property
    def tenant_id(self) -> TenantId:
        """The tenant this unit of work was made for."""
        return self._tenant_id

    @property
    def products(self) -> SqlAlchemyProductRepository:
        """The tenant's products, inside this transaction."""
        return self._products

    async def __aenter__(self) -> Self:
        """Take a connection from the pool and begin the transaction."""
        self._connection = await self._engine.connect()
        self._transaction = await self._connection.begin()
        self._products = SqlAlchemyProductRepository(self._connection, self._tenant_id)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back what was not committed and return the connection to the pool."""
        try:
            await self.rollback()
        finally:
            await self._connection.close()  # even when the rollback fails

    # --8<-- [start:commit]
    async def commit(self) -> None:
        """Store the changed products and their events, then commit, all or nothing.

        Raises:
            SkuAlreadyExistsError: A concurrent command took a new product's SKU first.
            ConcurrencyConflictError: A product was changed by someone else since loading.
        """
        events = await self._products.store_changes()
        await self._write_events(self._connection, self._tenant_id, events)
        await self._transaction.commit()

    # --8<-- [end:commit]

    async def rollback(self) -> None:
        """Discard the changes; does nothing after a commit."""
        if self._transaction.is_active:
            await self._transaction.rollback()


# --8<-- [end:unit-of-work]
