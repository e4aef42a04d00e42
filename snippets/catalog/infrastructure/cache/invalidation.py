"""A catalog unit of work that hands its events on once its commit succeeded."""

from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.domain.repositories.product_repository import ProductRepository
from catalog.infrastructure.database.unit_of_work import EventWriter
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId

AfterCommit = Callable[[Sequence[DomainEvent]], Awaitable[None]]
"""What runs with a unit of work's events once they are committed."""


# --8<-- [start:after-commit]
class AfterCommitUnitOfWork:
    """Wraps a catalog unit of work; implements ``CatalogUnitOfWork``.

    The events reach :attr:`after_commit` through the outbox writer the wrapped unit of
    work is made with: they are collected as they are written, inside the transaction,
    and handed on only when the commit has returned, so a rolled back change invalidates
    nothing and a read that follows the use case's return never sees the old state.
    """

    def __init__(
        self,
        make: Callable[[EventWriter], CatalogUnitOfWork],
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

        self._inner = make(write)

    @property
    def tenant_id(self) -> TenantId:
        """The wrapped unit of work's tenant."""
        return self._inner.tenant_id

    @property
    def products(self) -> ProductRepository:
        """The wrapped unit of work's products."""
        return self._inner.products

    async def __aenter__(self) -> Self:
        """Begin the wrapped unit of work."""
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """End the wrapped unit of work."""
        await self._inner.__aexit__(exc_type, exc, traceback)

    async def commit(self) -> None:
        """Commit the wrapped unit of work, then run :attr:`after_commit` with its events."""
        await self._inner.commit()
        committed, self._written = self._written, []
        await self.after_commit(committed)

    async def rollback(self) -> None:
        """Roll the wrapped unit of work back; its written events were never committed."""
        self._written.clear()
        await self._inner.rollback()


# --8<-- [end:after-commit]
