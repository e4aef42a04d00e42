"""The unit of work on SQLAlchemy Core: one pooled connection, one transaction.

The shared kernel's ``UnitOfWork`` port says what a unit of work promises; this class
keeps the promise once for every context (ADR 24). A context's unit of work only makes
its repositories on the connection, says where its events go, and, if it keeps
something besides aggregates (ordering's idempotency keys), writes it in
:meth:`ConnectionUnitOfWork._store_extras`.
"""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from infrastructure_kernel.database.tracked_repository import TrackedRepository
from shared_kernel.events import DomainEvent


# --8<-- [start:unit-of-work]
class ConnectionUnitOfWork(ABC):
    """One business transaction on one connection taken from the engine's pool.

    Entering takes the connection, begins the transaction and makes the repositories
    on it; :meth:`commit` stores what they track, then the extras, then the events, and
    commits; leaving the block rolls back whatever was not committed and returns the
    connection to the pool.
    """

    _connection: AsyncConnection
    _transaction: AsyncTransaction
    _repositories: Sequence[TrackedRepository[Any]]

    def __init__(self, engine: AsyncEngine) -> None:
        """Prepare a unit of work; the connection is taken from ``engine``'s pool on entry."""
        self._engine = engine

    async def __aenter__(self) -> Self:
        """Take a connection from the pool, begin the transaction, make the repositories."""
        self._connection = await self._engine.connect()
        self._transaction = await self._connection.begin()
        self._repositories = self._open(self._connection)
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
        """Store every change, the extras and the events, then commit, all or nothing.

        Raises:
            ConcurrencyConflictError: An aggregate was changed by someone else since it
                was loaded; nothing is stored.
        """
        events = [e for repository in self._repositories for e in await repository.store_changes()]
        await self._store_extras()
        await self._write_events(self._connection, events)
        await self._transaction.commit()

    # --8<-- [end:commit]

    async def rollback(self) -> None:
        """Discard the changes; does nothing after a commit."""
        if self._transaction.is_active:
            await self._transaction.rollback()

    @abstractmethod
    def _open(self, connection: AsyncConnection) -> Sequence[TrackedRepository[Any]]:
        """Make the repositories on ``connection``; return them in the order they store."""

    async def _store_extras(self) -> None:  # noqa: B027 - a hook that most units of work skip
        """Write what the unit of work keeps besides aggregates; nothing by default."""

    @abstractmethod
    async def _write_events(self, connection: AsyncConnection, events: list[DomainEvent]) -> None:
        """Store the events of the changes in the outbox, inside the transaction."""


# --8<-- [end:unit-of-work]
