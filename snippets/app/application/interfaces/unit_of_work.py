"""The unit of work port: one business transaction, committed whole or not at all."""

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from app.domain.repositories.customer_repository import CustomerRepository


# --8<-- [start:unit-of-work]
class UnitOfWork(Protocol):
    """A transaction and the repositories that work inside it.

    Use it once, as an async context manager. Leaving the block without
    :meth:`commit` discards every change, so an exception can never store half a
    command::

        async with uow:
            customer = await uow.customers.get(customer_id)
            customer.rename(name)
            await uow.commit()
    """

    @property
    def customers(self) -> CustomerRepository:
        """The customers, as seen inside this transaction."""
        ...

    async def __aenter__(self) -> Self:
        """Begin the transaction."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """End the transaction, rolling back whatever was not committed."""
        ...

    async def commit(self) -> None:
        """Store every change made through the repositories, with its domain events."""
        ...

    async def rollback(self) -> None:
        """Discard every change not yet committed."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""Makes a fresh unit of work; the composition root supplies one per request or command."""
# --8<-- [end:unit-of-work]
