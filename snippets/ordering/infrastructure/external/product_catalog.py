"""The adapter behind ordering's ``ProductCatalog`` port: the catalog context, in-process.

This module is the one place where ordering meets the catalog, and it meets only the
catalog's published interface, :mod:`catalog.application.use_cases.look_up_products`,
never its domain model or its tables (an import-linter contract checks both). The
catalog's answer is translated into ordering's own :class:`ProductSnapshot`, so a change
to the catalog's published product stops here. Were the catalog to become a service of
its own, an adapter calling its HTTP API would replace this one and nothing else would
change.
"""

from collections.abc import Collection
from uuid import UUID

from catalog.application.interfaces.product_queries import ProductQueries
from catalog.application.use_cases.look_up_products import look_up_products
from ordering.application.interfaces.product_catalog import ProductSnapshot


# --8<-- [start:catalog-adapter]
class InProcessProductCatalog:
    """The products of one tenant, read through the catalog's application layer."""

    def __init__(self, products: ProductQueries) -> None:
        """Ask ``products``, made for the same tenant as the unit of work this serves."""
        self._products = products

    async def snapshot(self, product_ids: Collection[UUID], /) -> dict[UUID, ProductSnapshot]:
        """Through the catalog's published query, which reads them in one statement."""
        published = await look_up_products(self._products, product_ids)
        return {
            product_id: ProductSnapshot(
                sku=product.sku,
                name=product.name,
                unit_price=product.price,
                available=product.available,
            )
            for product_id, product in published.items()
        }


# --8<-- [end:catalog-adapter]
