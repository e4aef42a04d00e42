"""The repository half of persistence on SQLAlchemy Core: track aggregates, store changes.

Every repository of every context keeps the aggregates it loaded or was given and, when
its unit of work commits, writes those that changed, refusing a write that would
overwrite someone else's. That mechanism is written here once (ADR 24); a
context's repository keeps what is its own: how it loads, and which statements write its
aggregate.
"""

from abc import ABC, abstractmethod
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from sqlalchemy import Update
from sqlalchemy.ext.asyncio import AsyncConnection

from shared_kernel.aggregate import AggregateRoot
from shared_kernel.events import DomainEvent
from shared_kernel.repository import ConcurrencyConflictError

AggregateT = TypeVar("AggregateT", bound=AggregateRoot[Any])


# --8<-- [start:tracked-repository]
class TrackedRepository(ABC, Generic[AggregateT]):
    """A repository that remembers what it loaded or was given, and stores what changed.

    A subclass passes every aggregate it loads or is given through :meth:`_track`, and
    says how its aggregate is written: :meth:`_insert` and :meth:`_update`. The identity
    map, the optimistic version check and the loop over the changes are this class's.

    Attributes:
        aggregate_name: What a conflict's message calls the aggregate ("order").
    """

    aggregate_name = "aggregate"

    def __init__(self, connection: AsyncConnection) -> None:
        """Work inside ``connection``'s transaction, which the unit of work began."""
        self._connection = connection
        # The identity map: one object per id, held until the unit of work ends, so a
        # handler that changes an aggregate without keeping it loses no change.
        self._tracked: dict[Hashable, AggregateT] = {}

    def _track(self, aggregate: AggregateT) -> AggregateT:
        """Remember ``aggregate`` so that :meth:`store_changes` writes its changes."""
        self._tracked[aggregate.id] = aggregate
        return aggregate

    # --8<-- [start:store-changes]
    async def store_changes(self) -> list[DomainEvent]:
        """Write every new or changed aggregate; return the events of the changes.

        An aggregate records an event for every change, so one without events has
        nothing to write. A new one (version 0) is inserted; a changed one is updated
        only if its stored version is still the one it was loaded at.

        Raises:
            ConcurrencyConflictError: An aggregate was changed by someone else since it
                was loaded.
        """
        events: list[DomainEvent] = []
        for aggregate in self._tracked.values():
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

    # --8<-- [end:store-changes]

    @abstractmethod
    async def _insert(self, aggregate: AggregateT) -> None:
        """Insert a new aggregate's rows, at version 1."""

    @abstractmethod
    def _update(self, aggregate: AggregateT) -> Update:
        """Build the ``UPDATE`` of the aggregate's row by its key, without the version.

        The kernel adds the version check and the new version to it.
        """


# --8<-- [end:tracked-repository]
