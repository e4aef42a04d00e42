"""The catalog's repository and unit of work on the Core kernel."""

from sqlalchemy import ColumnElement, Update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from catalog.domain.errors import SkuAlreadyExistsError
from catalog.domain.product import Product
from catalog.domain.value_objects import ProductId, Sku
from catalog.infrastructure.mapping import product_row, to_product
from catalog.infrastructure.tables import products
from catalog.infrastructure.tenant_scope import TenantScope
from catalog.infrastructure.unit_of_work import EventWriter
from core_kernel.kernel import ConnectionUnitOfWork, TrackedRepository
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId


class ProductRepository(TrackedRepository[Product]):
    """One tenant's products in the ``products`` table; implements ``ProductRepository``."""

    aggregate_name = "product"

    def __init__(self, connection: AsyncConnection, tenant_id: TenantId) -> None:
        """Work inside ``connection``'s transaction, on ``tenant_id``'s products only."""
        super().__init__(connection)
        self._tenant_id = tenant_id
        self._products = TenantScope(products, tenant_id)

    async def get(self, product_id: ProductId, /) -> Product | None:
        """Load a product by id, or ``None``."""
        return await self._load_one(products.c.product_id == product_id.value)

    async def get_by_sku(self, sku: Sku, /) -> Product | None:
        """Load the product with this SKU, or ``None``."""
        return await self._load_one(products.c.sku == sku.value)

    async def add(self, product: Product, /) -> None:
        """Remember a new product; the commit inserts it.

        Raises:
            ValueError: The product belongs to another tenant.
        """
        if product.tenant_id != self._tenant_id:
            raise ValueError(f"product {product.id} belongs to {product.tenant_id}")
        self._track(product)

    async def _load_one(self, condition: ColumnElement[bool]) -> Product | None:
        result = await self._connection.execute(self._products.select(condition))
        row = result.mappings().one_or_none()
        return None if row is None else self._track(to_product(row))

    async def _insert(self, aggregate: Product) -> None:
        try:
            await self._connection.execute(self._products.insert(product_row(aggregate, version=1)))
        except IntegrityError as error:
            # The id is a fresh random UUID, so the constraint that failed is the unique
            # SKU: another command took it after the handler's check.
            raise SkuAlreadyExistsError(aggregate.sku.value) from error

    def _update(self, aggregate: Product) -> Update:
        row = product_row(aggregate, version=aggregate.version)
        del row["version"]  # the kernel moves it
        return self._products.update(products.c.product_id == aggregate.id.value).values(row)


class CatalogUnitOfWork(ConnectionUnitOfWork):
    """One tenant's catalog transaction; implements ``CatalogUnitOfWork``."""

    _products: ProductRepository

    def __init__(self, engine: AsyncEngine, tenant_id: TenantId, write_events: EventWriter) -> None:
        """Prepare a unit of work for ``tenant_id``; events go to ``write_events``."""
        super().__init__(engine)
        self._tenant_id = tenant_id
        self._write_events_of_tenant = write_events

    @property
    def tenant_id(self) -> TenantId:
        """The tenant this unit of work was made for."""
        return self._tenant_id

    @property
    def products(self) -> ProductRepository:
        """The tenant's products, inside this transaction."""
        return self._products

    def _begin(self, connection: AsyncConnection) -> None:
        self._products = ProductRepository(connection, self._tenant_id)

    def _tracked(self) -> list[TrackedRepository[Product]]:
        return [self._products]

    async def _write_events(self, connection: AsyncConnection, events: list[DomainEvent]) -> None:
        await self._write_events_of_tenant(connection, self._tenant_id, events)
