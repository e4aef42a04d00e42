"""A unit of work that hands its events on once its commit succeeded."""

from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId
from shared_kernel.unit_of_work import UnitOfWork

EventWriter = Callable[[AsyncConnection, TenantId, Sequence[DomainEvent]], Awaitable[None]]
"""Stores a tenant's events inside the caller's transaction: the outbox writer."""

AfterCommit = Callable[[Sequence[DomainEvent]], Awaitable[None]]
"""What runs with a unit of work's events once they are committed."""


class TenantUnitOfWork(UnitOfWork, Protocol):
    """What the wrapper delegates: the kernel's unit of work, made for one tenant."""

    @property
    def tenant_id(self) -> TenantId:
        """The tenant the unit of work was made for."""
        ...


UnitOfWorkT = TypeVar("UnitOfWorkT", bound=TenantUnitOfWork)


# --8<-- [start:after-commit]
class AfterCommitUnitOfWork(Generic[UnitOfWorkT]):
    """Wraps a unit of work, and runs :attr:`after_commit` with its committed events.

    The events reach it through the outbox writer the wrapped unit of work is made with:
    they are collected as they are written, inside the transaction, and handed on only
    when the commit has returned, so a rolled back change hands on nothing and whatever
    follows the use case's return sees the change's effects. A context subclasses it
    with the repositories of its port, delegated to :attr:`inner`.
    """

    def __init__(
        self,
        make: Callable[[EventWriter], UnitOfWorkT],
        write_events: EventWriter,
        after_commit: AfterCommit,
    ) -> None:
        """Make the wrapped unit of work.

        Args:
            make: Makes the wrapped unit of work with the outbox writer it is given.
            write_events: The outbox writer to wrap.
            after_commit: Runs with the committed events.
        """
        self._written: list[DomainEvent] = []
        self.after_commit = after_commit

        async def write(
            connection: AsyncConnection, tenant_id: TenantId, events: Sequence[DomainEvent]
        ) -> None:
            await write_events(connection, tenant_id, events)
            self._written.extend(events)

        self.inner = make(write)

    @property
    def tenant_id(self) -> TenantId:
        """The wrapped unit of work's tenant."""
        return self.inner.tenant_id

    async def __aenter__(self) -> Self:
        """Begin the wrapped unit of work."""
        await self.inner.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """End the wrapped unit of work."""
        await self.inner.__aexit__(exc_type, exc, traceback)

    async def commit(self) -> None:
        """Commit the wrapped unit of work, then run :attr:`after_commit` with its events."""
        await self.inner.commit()
        committed, self._written = self._written, []
        await self.after_commit(committed)

    async def rollback(self) -> None:
        """Roll the wrapped unit of work back; its written events were never committed."""
        self._written.clear()
        await self.inner.rollback()


# --8<-- [end:after-commit]
