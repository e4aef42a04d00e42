"""The product repository on SQLAlchemy Core, inside one unit of work's transaction."""

from sqlalchemy import ColumnElement, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.domain.entities.product import Product
from catalog.domain.errors import SkuAlreadyExistsError
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.sku import Sku
from catalog.infrastructure.database.mapping import product_row, to_product
from catalog.infrastructure.database.tables import products
from infrastructure_kernel.database.tenant_scope import TenantScope
from shared_kernel.events import DomainEvent
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId


# --8<-- [start:repository]
class SqlAlchemyProductRepository:
    """One tenant's products in the ``products`` table; implements ``ProductRepository``.

    It remembers every product it loaded or was given, and :meth:`store_changes` writes
    those that recorded events: a product records an event for every change, so one
    without events has nothing to store.
    """

    def __init__(self, connection: AsyncConnection, tenant_id: TenantId) -> None:
        """Work inside ``connection``'s transaction, on ``tenant_id``'s products only.

        Args:
            connection: The unit of work's connection, with its transaction begun.
            tenant_id: Whose products these are; every statement is limited to them.
        """
        self._connection = connection
        self._scope = TenantScope(tenant_id)
        self._seen: dict[ProductId, Product] = {}

    async def get(self, product_id: ProductId, /) -> Product | None:
        """Load a product by id, or ``None``."""
        return await self._load_one(products.c.product_id == product_id.value)

    async def get_by_sku(self, sku: Sku, /) -> Product | None:
        """Load the product with this SKU, or ``None``."""
        return await self._load_one(products.c.sku == sku.value)

    async def add(self, product: Product, /) -> None:
        """Remember a new product; :meth:`store_changes` inserts it.

        Raises:
            ValueError: The product belongs to another tenant; a programming error,
                since handlers make products for their unit of work's tenant.
        """
        if product.tenant_id != self._scope.tenant_id:
            raise ValueError(f"product {product.id} belongs to {product.tenant_id}")
        self._seen[product.id] = product

    async def _load_one(self, condition: ColumnElement[bool]) -> Product | None:
        result = await self._connection.execute(self._scope.select(products).where(condition))
        row = result.mappings().one_or_none()
        if row is None:
            return None
        product = to_product(row)
        self._seen[product.id] = product
        return product

    # --8<-- [start:store-changes]
    async def store_changes(self) -> list[DomainEvent]:
        """Write every new or changed product; return the events that describe the changes.

        Raises:
            SkuAlreadyExistsError: A concurrent command took the SKU first.
            ConcurrencyConflictError: A product was changed by someone else since loading.
        """
        events: list[DomainEvent] = []
        for product in self._seen.values():
            changes = product.pull_events()
            if not changes:
                continue
            if product.version == 0:
                await self._insert(product)
            else:
                await self._update(product)
            product.increment_version()
            events.extend(changes)
        return events

    async def _insert(self, product: Product) -> None:
        try:
            row = product_row(product, version=product.version + 1)
            await self._connection.execute(insert(products).values(self._scope.row(**row)))
        except IntegrityError as error:
            # The id is a fresh random UUID and the tenant was resolved before this unit
            # of work was made, so the constraint that failed is the unique SKU: another
            # command took it after the handler's check.
            raise SkuAlreadyExistsError(product.sku.value) from error

    async def _update(self, product: Product) -> None:
        # Optimistic concurrency: the row changes only if nobody stored a newer version
        # since we loaded ours; otherwise no row matches and we refuse to overwrite.
        result = await self._connection.execute(
            self._scope.update(products)
            .where(products.c.product_id == product.id.value, products.c.version == product.version)
            .values(product_row(product, version=product.version + 1))
        )
        if result.rowcount != 1:
            raise ConcurrencyConflictError(
                f"product {product.id} was changed by someone else; reload and try again"
            )

    # --8<-- [end:store-changes]


# --8<-- [end:repository]
