"""The unit of work on one SQLAlchemy connection and its transaction."""

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from app.infrastructure.database.customer_repository import SqlAlchemyCustomerRepository
from app.infrastructure.database.tables import outbox
from infrastructure_kernel.database.outbox import append_events


# --8<-- [start:sqlalchemy-unit-of-work]
class SqlAlchemyUnitOfWork:
    """One database transaction, holding the repositories that work inside it."""

    _connection: AsyncConnection
    _transaction: AsyncTransaction
    _customers: SqlAlchemyCustomerRepository

    def __init__(self, engine: AsyncEngine) -> None:
        """Prepare a unit of work; the connection is taken from the pool on entry.

        Args:
            engine: Where connections come from.
        """
        self._engine = engine

    @property
    def customers(self) -> SqlAlchemyCustomerRepository:
        """The customers, inside this transaction."""
        return self._customers

    async def __aenter__(self) -> Self:
        """Take a connection from the pool and begin the transaction."""
        self._connection = await self._engine.connect()
        self._transaction = await self._connection.begin()
        self._customers = SqlAlchemyCustomerRepository(self._connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back what was not committed and return the connection to the pool."""
        await self.rollback()
        await self._connection.close()

    # --8<-- [start:commit]
    async def commit(self) -> None:
        """Store the changed aggregates and their events in one transaction."""
        events = await self._customers.store_changes()
        await append_events(self._connection, outbox, events)
        await self._transaction.commit()

    # --8<-- [end:commit]

    async def rollback(self) -> None:
        """Discard the changes; does nothing after a commit."""
        if self._transaction.is_active:
            await self._transaction.rollback()


# --8<-- [end:sqlalchemy-unit-of-work]
