"""The catalog's cached reads dropped by the relayed events, in any process (ADR 72).

The process that commits a change drops what it made stale at once, after its commit
(:mod:`catalog.infrastructure.cache.invalidation`). The other processes learn of the change
from its events, which the relay takes from the outbox: this consumer drops the tenant's
cached reads when one of the catalog's events arrives. On Redis one consumer serves every
process, since they share the cache; a process that caches in its own memory runs one of
its own, on a queue of its own.
"""

from sqlalchemy.ext.asyncio import AsyncConnection

from catalog.application.interfaces.read_cache import ReadCache
from catalog.domain.events.product_events import (
    ProductAdded,
    ProductDiscontinued,
    ProductRepriced,
)
from infrastructure_kernel.messaging.consumer import Consumer, PoisonMessageError
from infrastructure_kernel.messaging.envelope import EventEnvelope
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId

# --8<-- [start:cache-invalidation]
CACHE_INVALIDATION = "catalog.cache-invalidation"
"""The queue of the consumer that serves a cache shared by every process (Redis)."""

PRODUCT_EVENTS = (ProductAdded.__name__, ProductRepriced.__name__, ProductDiscontinued.__name__)
"""The events that change what the cached reads show: any product, on any page."""


def cache_invalidation(cache: ReadCache, queue: str = CACHE_INVALIDATION) -> Consumer:
    """The consumer, on ``queue``, that drops ``cache``'s reads of the changed tenants.

    Whatever version of the event it is, its envelope names the tenant, which is all an
    invalidation needs; a duplicate only drops the reads again.
    """

    async def invalidate(_: AsyncConnection, envelope: EventEnvelope) -> None:
        try:
            tenant_id = TenantId(envelope.tenant_id)
        except InvalidValueError as error:  # never a tenant: no retry makes it one
            raise PoisonMessageError(str(error)) from error
        await cache.invalidate(tenant_id)

    return Consumer(queue, dict.fromkeys(PRODUCT_EVENTS, invalidate))


# --8<-- [end:cache-invalidation]
