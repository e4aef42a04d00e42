"""What the catalog tells other bounded contexts about its products.

This module is the catalog's published interface: other contexts (ordering, through the
adapter behind its ``ProductCatalog`` port) call :func:`look_up_products` and get
:class:`PublishedProduct` values. They never read the catalog's tables or import its
domain model, so the catalog can change both as long as this module keeps its promise.
"""

from collections.abc import Collection
from dataclasses import dataclass
from uuid import UUID

from catalog.application.interfaces.product_queries import ProductQueries
from shared_kernel.money import Money


# --8<-- [start:look-up-products]
@dataclass(frozen=True)
class PublishedProduct:
    """A product as the catalog describes it to other contexts, at the time of asking.

    Attributes:
        product_id: The product's id.
        sku: Its stock keeping unit.
        name: The name customers see.
        price: The current price.
        available: Whether it may be ordered; False once discontinued.
    """

    product_id: UUID
    sku: str
    name: str
    price: Money
    available: bool


async def look_up_products(
    queries: ProductQueries, product_ids: Collection[UUID]
) -> dict[UUID, PublishedProduct]:
    """Describe the products with these ids, in one query, for placing an order.

    Args:
        queries: The product queries of the tenant that places the order.
        product_ids: The products to describe.

    Returns:
        The products by id; ids the tenant has no product for are absent.
    """
    views = await queries.get_many(product_ids)
    return {
        view.id: PublishedProduct(
            product_id=view.id,
            sku=view.sku,
            name=view.name,
            price=view.price.to_money(),
            available=view.active,
        )
        for view in views
    }


# --8<-- [end:look-up-products]
