"""The product queries, read through the read cache."""

from collections.abc import Collection, Sequence
from uuid import UUID

from catalog.application.dto.product_views import ProductPage, ProductView
from catalog.application.interfaces.product_queries import ProductQueries
from catalog.application.interfaces.read_cache import CacheKey, ReadCache
from shared_kernel.tenancy import TenantId


# --8<-- [start:cached-product-queries]
class CachedProductQueries:
    """One tenant's product reads, served from ``cache`` when it has them; ``ProductQueries``.

    A product and a page of the list are cached as the JSON of their views. ``get_many``
    is not: ordering calls it to price an order, and an order takes the committed price,
    never a cached one. Errors (no such product, a hostile cursor) are not cached.
    """

    def __init__(self, queries: ProductQueries, cache: ReadCache, tenant_id: TenantId) -> None:
        self._queries = queries
        self._cache = cache
        self._tenant_id = tenant_id

    async def get(self, product_id: UUID, /) -> ProductView:
        """One product, from the cache or the source."""

        async def load() -> bytes:
            return (await self._queries.get(product_id)).model_dump_json().encode()

        key = CacheKey(self._tenant_id, "product", (str(product_id),))
        return ProductView.model_validate_json(await self._cache.get_or_load(key, load))

    async def get_many(self, product_ids: Collection[UUID], /) -> Sequence[ProductView]:
        """Straight from the source."""
        return await self._queries.get_many(product_ids)

    async def list_page(
        self, *, after: str | None, limit: int, active_only: bool = False
    ) -> ProductPage:
        """A page, from the cache or the source; the cursor is hashed into the key."""

        async def load() -> bytes:
            page = await self._queries.list_page(after=after, limit=limit, active_only=active_only)
            return page.model_dump_json().encode()

        key = CacheKey(self._tenant_id, "product-page", (after, limit, active_only))
        return ProductPage.model_validate_json(await self._cache.get_or_load(key, load))


# --8<-- [end:cached-product-queries]
