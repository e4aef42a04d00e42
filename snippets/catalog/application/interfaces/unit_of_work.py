"""The catalog's unit of work port: one tenant's business transaction, all or nothing."""

from collections.abc import Callable
from typing import Protocol

from catalog.domain.repositories.product_repository import ProductRepository
from shared_kernel.tenancy import TenantId
from shared_kernel.unit_of_work import UnitOfWork


class CatalogUnitOfWork(UnitOfWork, Protocol):
    """A transaction over one tenant's catalog, and the repositories inside it.

    Made for one tenant by a :data:`CatalogUnitOfWorkFactory`; its repositories read and
    write only that tenant's rows. The transaction's life is the kernel's
    :class:`~shared_kernel.unit_of_work.UnitOfWork`; a use case runs in one so::

        async with uow:
            product = await load_product(uow.products, product_id)
            product.discontinue()
            await uow.commit()
    """

    @property
    def tenant_id(self) -> TenantId:
        """The tenant this unit of work was made for; new aggregates belong to it."""
        ...

    @property
    def products(self) -> ProductRepository:
        """The tenant's products, as seen inside this transaction."""
        ...

    async def commit(self) -> None:
        """Store every product that recorded events, and those events, in one transaction.

        A product of version 0 is inserted, any other is updated only if its stored
        version is still the one it was loaded at; the version then goes up by one.

        Raises:
            SkuAlreadyExistsError: A concurrent command took the SKU first.
            ConcurrencyConflictError: A product was changed by someone else since it
                was loaded.
        """
        ...


CatalogUnitOfWorkFactory = Callable[[TenantId], CatalogUnitOfWork]
"""Makes a fresh unit of work for one tenant; the composition root supplies it."""
