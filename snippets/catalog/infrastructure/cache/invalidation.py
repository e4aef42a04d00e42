"""The catalog's unit of work, handing its events on once its commit succeeded."""

from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.domain.repositories.product_repository import ProductRepository
from infrastructure_kernel.database.after_commit import AfterCommitUnitOfWork


# --8<-- [start:after-commit-catalog]
class AfterCommitCatalogUnitOfWork(AfterCommitUnitOfWork[CatalogUnitOfWork]):
    """A catalog unit of work whose committed events reach ``after_commit``.

    Implements ``CatalogUnitOfWork``.
    """

    @property
    def products(self) -> ProductRepository:
        """The wrapped unit of work's products."""
        return self.inner.products


# --8<-- [end:after-commit-catalog]
