"""The product repository on SQLAlchemy Core, inside one unit of work's transaction."""

from sqlalchemy import ColumnElement, Update, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.domain.entities.product import Product
from catalog.domain.errors import SkuAlreadyExistsError
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.sku import Sku
from catalog.infrastructure.database.mapping import product_row, to_product
from catalog.infrastructure.database.tables import products
from infrastructure_kernel.database.tenant_scope import TenantScope
from infrastructure_kernel.database.tracked_repository import TrackedRepository
from shared_kernel.tenancy import TenantId


# --8<-- [start:repository]
class SqlAlchemyProductRepository(TrackedRepository[Product]):
    """One tenant's products in the ``products`` table; implements ``ProductRepository``.

    A product is one row. The kernel's :class:`TrackedRepository` stores the changes;
    this class loads, and says how a product is inserted and updated.
    """

    aggregate_name = "product"

    def __init__(self, connection: AsyncConnection, tenant_id: TenantId) -> None:
        """Work inside ``connection``'s transaction, on ``tenant_id``'s products only.

        Args:
            connection: The unit of work's connection, with its transaction begun.
            tenant_id: Whose products these are; every statement is limited to them.
        """
        super().__init__(connection)
        self._scope = TenantScope(tenant_id)

    async def get(self, product_id: ProductId, /) -> Product | None:
        """Load a product by id, or ``None``."""
        return await self._load_one(products.c.product_id == product_id.value)

    async def get_by_sku(self, sku: Sku, /) -> Product | None:
        """Load the product with this SKU, or ``None``."""
        return await self._load_one(products.c.sku == sku.value)

    async def add(self, product: Product, /) -> None:
        """Remember a new product; the commit inserts it.

        Raises:
            ValueError: The product belongs to another tenant; a programming error,
                since handlers make products for their unit of work's tenant.
        """
        if product.tenant_id != self._scope.tenant_id:
            raise ValueError(f"product {product.id} belongs to {product.tenant_id}")
        self._track(product)

    async def _load_one(self, condition: ColumnElement[bool]) -> Product | None:
        result = await self._connection.execute(self._scope.select(products).where(condition))
        row = result.mappings().one_or_none()
        return None if row is None else self._track(to_product(row))

    # --8<-- [start:writes]
    async def _insert(self, aggregate: Product) -> None:
        try:
            row = product_row(aggregate, version=1)
            await self._connection.execute(insert(products).values(self._scope.row(**row)))
        except IntegrityError as error:
            # The id is a fresh random UUID and the tenant was resolved before this unit
            # of work was made, so the constraint that failed is the unique SKU: another
            # command took it after the handler's check.
            raise SkuAlreadyExistsError(aggregate.sku.value) from error

    def _update(self, aggregate: Product) -> Update:
        row = product_row(aggregate, version=aggregate.version)
        del row["version"]  # the kernel checks and moves it
        return (
            self._scope.update(products)
            .where(products.c.product_id == aggregate.id.value)
            .values(row)
        )

    # --8<-- [end:writes]


# --8<-- [end:repository]
