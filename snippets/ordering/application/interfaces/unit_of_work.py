"""Ordering's unit of work port: one tenant's business transaction, all or nothing."""

from collections.abc import Callable
from typing import Protocol

from ordering.application.interfaces.idempotency_store import IdempotencyStore
from ordering.application.interfaces.product_catalog import ProductCatalog
from ordering.domain.repositories.order_repository import OrderRepository
from shared_kernel.tenancy import TenantId
from shared_kernel.unit_of_work import UnitOfWork


# --8<-- [start:unit-of-work]
class OrderingUnitOfWork(UnitOfWork, Protocol):
    """A transaction over one tenant's orders, and what works inside it.

    Made for one tenant by an :data:`OrderingUnitOfWorkFactory`: the repository, the
    idempotency store and the catalog read and write only that tenant's rows, so none of
    their methods takes a tenant. The transaction's life is the kernel's
    :class:`~shared_kernel.unit_of_work.UnitOfWork`.
    """

    @property
    def tenant_id(self) -> TenantId:
        """The tenant this unit of work was made for; new orders belong to it."""
        ...

    @property
    def orders(self) -> OrderRepository:
        """The tenant's orders, as seen inside this transaction."""
        ...

    @property
    def idempotency_keys(self) -> IdempotencyStore:
        """The keys the tenant's requests used, inside the same transaction."""
        ...

    @property
    def products(self) -> ProductCatalog:
        """The tenant's products as ordering sees them, read inside the same transaction."""
        ...

    async def commit(self) -> None:
        """Store the changed orders, their events and the remembered keys, atomically.

        An order of version 0 is inserted with its lines; any other is updated (its
        status; lines never change) only if its stored version is still the one it was
        loaded at. Only orders that recorded events are written.

        Raises:
            ConcurrencyConflictError: An order was changed by someone else since it was
                loaded, or a concurrent request remembered the same idempotency key.
        """
        ...


OrderingUnitOfWorkFactory = Callable[[TenantId], OrderingUnitOfWork]
"""Makes a fresh unit of work for one tenant; the composition root supplies it."""
# --8<-- [end:unit-of-work]
