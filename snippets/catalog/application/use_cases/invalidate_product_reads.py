"""Drop the cached product reads that committed changes made stale."""

from collections.abc import Sequence

from catalog.application.interfaces.read_cache import ReadCache
from catalog.domain.events.product_events import ProductEvent
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId


# --8<-- [start:invalidate-product-reads]
async def invalidate_product_reads(cache: ReadCache, events: Sequence[DomainEvent]) -> None:
    """Invalidate the cached reads of every tenant whose products these events changed.

    Call it with committed events only: after the commit in the process that made them
    (:mod:`catalog.infrastructure.cache.invalidation`), or from any process that reads
    them from the outbox. Events of other kinds are ignored, so a caller may pass all
    it has.

    Args:
        cache: The product reads' cache.
        events: Committed events, of any context and any tenant.
    """
    tenants = {event.tenant_id for event in events if isinstance(event, ProductEvent)}
    for tenant in sorted(tenants):
        # A whole tenant's reads: a reprice or an add can move a product on any page.
        await cache.invalidate(TenantId(tenant))


# --8<-- [end:invalidate-product-reads]
