"""The catalog's read cache port: views kept for a while, per tenant, dropped on change.

The product queries read through it (see
:mod:`catalog.infrastructure.cache.cached_product_queries`); the catalog's use cases'
events drop what they made stale (see
:mod:`catalog.application.use_cases.invalidate_product_reads`).
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from shared_kernel.tenancy import TenantId


# --8<-- [start:cache-key]
@dataclass(frozen=True)
class CacheKey:
    """What a cached value is: a tenant's read of one kind, with its arguments.

    Attributes:
        tenant_id: Whose read it is; every key names one tenant.
        kind: Which read, a constant of the code such as ``"product-page"``.
        arguments: The read's arguments as the caller sent them, hostile ones included.
    """

    tenant_id: TenantId
    kind: str
    arguments: tuple[str | int | None, ...]

    def render(self, generation: int) -> str:
        """Return the key as a store keeps it, in ``generation`` of the tenant's reads.

        The tenant (a slug) and the kind are written out, so the keys of one tenant can be
        found; the arguments are hashed, so a client's cursor of any length and any
        characters makes a short key with no separator in it.
        """
        digest = hashlib.sha256(json.dumps(self.arguments).encode()).hexdigest()
        return f"{self.tenant_id}:{generation}:{self.kind}:{digest}"


# --8<-- [end:cache-key]


# --8<-- [start:read-cache]
class ReadCache(Protocol):
    """A cache of serialised views that reads through to their source on a miss.

    Every key belongs to one tenant, and :meth:`invalidate` drops every read of a tenant
    at once: a cached read is never served once the change that made it stale has been
    invalidated, however its load raced with the change.
    """

    async def get_or_load(self, key: CacheKey, load: Callable[[], Awaitable[bytes]]) -> bytes:
        """Return the cached value of ``key``, or ``load`` it, cache it and return it.

        Concurrent misses of one key call ``load`` once and share its result (or its
        error, which is not cached), so a hot key that expires does not send every
        waiting request to the database at once.
        """
        ...

    async def invalidate(self, tenant_id: TenantId) -> None:
        """Make every cached read of ``tenant_id`` unreachable, including loads in flight."""
        ...

    async def aclose(self) -> None:
        """Release the connections the cache holds; on shutdown."""
        ...


# --8<-- [end:read-cache]
