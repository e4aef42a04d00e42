"""The unit of work port: one business transaction, committed whole or not at all."""

from collections.abc import Callable
from typing import Protocol

from app.domain.repositories.customer_repository import CustomerRepository
from shared_kernel import unit_of_work


# --8<-- [start:unit-of-work]
class UnitOfWork(unit_of_work.UnitOfWork, Protocol):
    """The shared kernel's unit of work, with the repositories that work inside it.

    The kernel's protocol says how a transaction begins, commits and ends; this port adds
    what the template's use cases reach inside one: the customers.
    """

    @property
    def customers(self) -> CustomerRepository:
        """The customers, as seen inside this transaction."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""Makes a fresh unit of work; the composition root supplies one per request or command."""
# --8<-- [end:unit-of-work]
