"""The port through which command handlers find and store products."""

from typing import Protocol

from catalog.domain.entities.product import Product
from catalog.domain.errors import ProductNotFoundError
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.sku import Sku
from shared_kernel.repository import Repository


class ProductRepository(Repository[Product, ProductId], Protocol):
    """One tenant's products, as a collection; ``get`` and ``add`` come from the kernel.

    A repository is created for one tenant (by its unit of work) and sees only that
    tenant's products, so no method takes a tenant.
    """

    async def get_by_sku(self, sku: Sku, /) -> Product | None:
        """Load the product with this SKU, or ``None``."""
        ...


async def load_product(products: ProductRepository, product_id: ProductId) -> Product:
    """Load a product that must exist, for handlers that act on one.

    Raises:
        ProductNotFoundError: The tenant has no product with this id.
    """
    product = await products.get(product_id)
    if product is None:
        raise ProductNotFoundError(product_id.value)
    return product
