"""Ordering's unit of work, handing its events on once its commit succeeded."""

from infrastructure_kernel.database.after_commit import AfterCommitUnitOfWork
from ordering.application.interfaces.idempotency_store import IdempotencyStore
from ordering.application.interfaces.product_catalog import ProductCatalog
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.domain.repositories.order_repository import OrderRepository


# --8<-- [start:after-commit-ordering]
class AfterCommitOrderingUnitOfWork(AfterCommitUnitOfWork[OrderingUnitOfWork]):
    """An ordering unit of work whose committed events reach ``after_commit``.

    Implements ``OrderingUnitOfWork``.
    """

    @property
    def orders(self) -> OrderRepository:
        """The wrapped unit of work's orders."""
        return self.inner.orders

    @property
    def idempotency_keys(self) -> IdempotencyStore:
        """The wrapped unit of work's idempotency keys."""
        return self.inner.idempotency_keys

    @property
    def products(self) -> ProductCatalog:
        """The wrapped unit of work's catalog."""
        return self.inner.products


# --8<-- [end:after-commit-ordering]
