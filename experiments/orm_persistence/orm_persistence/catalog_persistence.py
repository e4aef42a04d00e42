"""The catalog's repository and unit of work on an ``AsyncSession``."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from catalog.domain.errors import SkuAlreadyExistsError
from catalog.domain.product import Product
from catalog.domain.value_objects import ProductId, Sku
from orm_persistence.kernel import SessionUnitOfWork
from shared_kernel.aggregate import AggregateRoot
from shared_kernel.tenancy import TenantId


class OrmProductRepository:
    """One tenant's products, through the unit of work's session."""

    def __init__(self, session: AsyncSession, tenant_id: TenantId) -> None:
        """Load and add through ``session``, only ``tenant_id``'s products."""
        self._session = session
        self._tenant_id = tenant_id

    async def get(self, product_id: ProductId, /) -> Product | None:
        """Load a product by id, or ``None``; the tenant leads the primary key."""
        return await self._session.get(Product, (self._tenant_id.value, product_id.value))

    async def get_by_sku(self, sku: Sku, /) -> Product | None:
        """Load the product with this SKU, or ``None``."""
        statement = select(Product).filter_by(_tenant_id=self._tenant_id, _sku=sku)
        return (await self._session.scalars(statement)).one_or_none()

    async def add(self, product: Product, /) -> None:
        """Add a new product; the commit inserts it.

        Raises:
            ValueError: The product belongs to another tenant.
        """
        if product.tenant_id != self._tenant_id:
            raise ValueError(f"product {product.id} belongs to {product.tenant_id}")
        self._session.add(product)


class OrmCatalogUnitOfWork(SessionUnitOfWork):
    """One tenant's catalog transaction; implements ``CatalogUnitOfWork``."""

    aggregate_name = "product"

    _products: OrmProductRepository

    @property
    def products(self) -> OrmProductRepository:
        """The tenant's products, inside this transaction."""
        return self._products

    async def _begin(self, connection: AsyncConnection) -> None:
        del connection
        self._products = OrmProductRepository(self._session, self._tenant_id)

    def _integrity_error(self, new: list[AggregateRoot[Any]]) -> Exception | None:
        # A new product's id is a fresh random UUID, so the constraint that failed is
        # the unique SKU: another command took it after the handler's check.
        products = [product for product in new if isinstance(product, Product)]
        return SkuAlreadyExistsError(products[0].sku.value) if products else None
