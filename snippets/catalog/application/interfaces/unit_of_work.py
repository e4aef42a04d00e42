"""The catalog's unit of work port: one tenant's business transaction, all or nothing."""

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from catalog.domain.repositories.product_repository import ProductRepository
from shared_kernel.tenancy import TenantId


class CatalogUnitOfWork(Protocol):
    """A transaction over one tenant's catalog, and the repositories inside it.

    Made for one tenant by a :data:`CatalogUnitOfWorkFactory`; its repositories read and
    write only that tenant's rows. Use it once, as an async context manager; leaving the
    block without :meth:`commit` discards every change::

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
        """Store every product that recorded events, and those events, in one transaction.

        A product of version 0 is inserted, any other is updated only if its stored
        version is still the one it was loaded at; the version then goes up by one.

        Raises:
            SkuAlreadyExistsError: A concurrent command took the SKU first.
            ConcurrencyConflictError: A product was changed by someone else since it
                was loaded.
        """
        ...

    async def rollback(self) -> None:
        """Discard every change not yet committed."""
        ...


CatalogUnitOfWorkFactory = Callable[[TenantId], CatalogUnitOfWork]
"""Makes a fresh unit of work for one tenant; the composition root supplies it."""
