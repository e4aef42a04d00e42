"""The unit of work port: one business transaction, committed whole or not at all.

Each context's port extends this one with the repositories that work inside its
transaction (and, for a multi-tenant context, the tenant it was made for); the
transaction's life is written here, once.
"""

from types import TracebackType
from typing import Protocol, Self


# --8<-- [start:unit-of-work]
class UnitOfWork(Protocol):
    """A transaction, and the repositories a context's port adds to it.

    Use it once, as an async context manager. Leaving the block without
    :meth:`commit` discards every change, so an exception can never store half a
    command::

        async with uow:
            customer = await uow.customers.get(customer_id)
            customer.rename(name)
            await uow.commit()
    """

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


# --8<-- [end:unit-of-work]
