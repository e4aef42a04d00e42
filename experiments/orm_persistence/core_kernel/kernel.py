"""The Core persistence machinery, once: tracked aggregates and the connection's unit of work.

Were Core the house style, this module would be the infrastructure kernel's persistence
part, for the shop's contexts and the service template alike.
"""

from collections.abc import Hashable
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from sqlalchemy import Update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from shared_kernel.aggregate import AggregateRoot
from shared_kernel.events import DomainEvent
from shared_kernel.repository import ConcurrencyConflictError

AggregateT = TypeVar("AggregateT", bound=AggregateRoot[Any])


class TrackedRepository(Generic[AggregateT]):
    """A repository that remembers what it loaded or was given, and stores what changed.

    An aggregate records an event for every change, so one without events has nothing
    to store. A new one (version 0) is inserted; a changed one is updated only if its
    stored version is still the one it was loaded at. A subclass loads (passing what it
    loads through :meth:`_track`) and says how its aggregate is written.
    """

    aggregate_name = "aggregate"
    """What a conflict's message calls the aggregate, e.g. "order"."""

    def __init__(self, connection: AsyncConnection) -> None:
        """Work inside ``connection``'s transaction, which its unit of work began."""
        self._connection = connection
        self._seen: dict[Hashable, AggregateT] = {}

    def _track(self, aggregate: AggregateT) -> AggregateT:
        self._seen[aggregate.id] = aggregate
        return aggregate

    async def store_changes(self) -> list[DomainEvent]:
        """Write every new or changed aggregate; return the events of the changes.

        Raises:
            ConcurrencyConflictError: An aggregate was changed by someone else since it
                was loaded.
        """
        events: list[DomainEvent] = []
        for aggregate in self._seen.values():
            changes = aggregate.pull_events()
            if not changes:
                continue
            if aggregate.version == 0:
                await self._insert(aggregate)
            else:
                await self._update_if_unchanged(aggregate)
            aggregate.increment_version()
            events.extend(changes)
        return events

    async def _update_if_unchanged(self, aggregate: AggregateT) -> None:
        # Optimistic concurrency: the row changes only if nobody stored a newer version
        # since we loaded ours; otherwise no row matches and we refuse to overwrite.
        statement = self._update(aggregate)
        version = statement.table.c.version
        result = await self._connection.execute(
            statement.where(version == aggregate.version).values(version=aggregate.version + 1)
        )
        if result.rowcount != 1:
            raise ConcurrencyConflictError(
                f"{self.aggregate_name} {aggregate.id} was changed by someone else;"
                " reload it and try again"
            )

    async def _insert(self, aggregate: AggregateT) -> None:
        """Insert a new aggregate at version 1."""
        raise NotImplementedError

    def _update(self, aggregate: AggregateT) -> Update:
        """The ``UPDATE`` of the aggregate's row, by its key, without the version."""
        raise NotImplementedError


class ConnectionUnitOfWork:
    """One business transaction on one pooled connection.

    :meth:`commit` stores the changes of every repository, then what the subclass keeps
    besides (idempotency keys), then the events (the outbox), and commits; leaving the
    block without committing rolls back.
    """

    _connection: AsyncConnection
    _transaction: AsyncTransaction

    def __init__(self, engine: AsyncEngine) -> None:
        """Prepare a unit of work; the connection is taken from the pool on entry."""
        self._engine = engine

    async def __aenter__(self) -> Self:
        """Take a connection from the pool, begin the transaction, make the repositories."""
        self._connection = await self._engine.connect()
        self._transaction = await self._connection.begin()
        self._begin(self._connection)
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
            await self._connection.close()

    async def commit(self) -> None:
        """Store every change and its events, then commit, all or nothing."""
        events = [e for tracked in self._tracked() for e in await tracked.store_changes()]
        await self._store_extras()
        await self._write_events(self._connection, events)
        await self._transaction.commit()

    async def rollback(self) -> None:
        """Discard the changes; does nothing after a commit."""
        if self._transaction.is_active:
            await self._transaction.rollback()

    def _begin(self, connection: AsyncConnection) -> None:
        """Make the repositories on ``connection``."""
        raise NotImplementedError

    def _tracked(self) -> list[TrackedRepository[Any]]:
        """The repositories whose changes a commit stores, in order."""
        raise NotImplementedError

    async def _store_extras(self) -> None:
        """Write what the unit of work holds besides aggregates; nothing by default."""

    async def _write_events(self, connection: AsyncConnection, events: list[DomainEvent]) -> None:
        """Store the events in the outbox, in the transaction."""
        raise NotImplementedError
