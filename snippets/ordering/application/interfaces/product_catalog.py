"""The port through which ordering learns what products cost and whether they are sold.

Ordering owns this port and the snapshot it returns; the adapter behind it (in
``ordering.infrastructure``) asks the catalog's published interface,
:mod:`catalog.application.use_cases.look_up_products`. Nothing else in ordering knows that
the catalog exists, so the two contexts could become two services by changing the adapter
alone.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId


# --8<-- [start:product-catalog]
@dataclass(frozen=True)
class ProductSnapshot:
    """What ordering needs to know about a product at the moment an order is placed.

    Attributes:
        sku: The product's stock keeping unit, copied onto the order line.
        name: Its name, copied onto the order line.
        unit_price: Its current price, which becomes the order line's price.
        available: Whether it may be ordered now.
    """

    sku: str
    name: str
    unit_price: Money
    available: bool


class ProductCatalog(Protocol):
    """The products of one tenant, as ordering sees them."""

    async def snapshot(self, product_ids: Collection[UUID], /) -> Mapping[UUID, ProductSnapshot]:
        """Describe the products with these ids, in one round trip.

        Returns:
            The snapshots by product id; ids the tenant has no product for are absent.
        """
        ...


ProductCatalogFactory = Callable[[TenantId], ProductCatalog]
"""Makes the catalog view of one tenant; build it for the same tenant as the unit of work."""
# --8<-- [end:product-catalog]
