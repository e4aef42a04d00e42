"""The read cache in the process's memory: the default, with nothing to run beside the shop."""

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from catalog.application.interfaces.read_cache import CacheKey
from infrastructure_kernel.single_flight import SingleFlight
from shared_kernel.tenancy import TenantId


# --8<-- [start:in-process-cache]
class InProcessReadCache:
    """A bounded, expiring map in this process; implements ``ReadCache``.

    Each tenant's reads live in a generation; :meth:`invalidate` starts the next one, so
    a value loaded before the change is stored under the old generation's key, where no
    read looks. Only this process sees its invalidations: with several worker processes,
    another one serves a stale read for at most ``ttl`` seconds (the Redis adapter shares
    them).
    """

    def __init__(
        self,
        *,
        ttl: float = 30.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Make an empty cache.

        Args:
            ttl: Seconds a value is served after it was loaded.
            max_entries: Values kept at most; the least recently used goes first, so clients
                asking for ever new cursors cannot grow the process without bound.
            clock: Where the seconds come from; tests pass a fake one.
        """
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        self._values: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._generations: dict[TenantId, int] = {}
        self._flights = SingleFlight[bytes]()

    async def get_or_load(self, key: CacheKey, load: Callable[[], Awaitable[bytes]]) -> bytes:
        """A dictionary lookup on a hit; one ``load`` per key for concurrent misses."""
        rendered = key.render(self._generations.get(key.tenant_id, 0))
        cached = self._values.get(rendered)
        if cached is not None and cached[0] > self._clock():
            self._values.move_to_end(rendered)
            return cached[1]

        async def load_and_keep() -> bytes:
            value = await load()
            self._values[rendered] = (self._clock() + self._ttl, value)
            self._values.move_to_end(rendered)
            while len(self._values) > self._max_entries:
                self._values.popitem(last=False)
            return value

        return await self._flights.run(rendered, load_and_keep)

    async def invalidate(self, tenant_id: TenantId) -> None:
        """Start the tenant's next generation; the old one's values age out of the map."""
        self._generations[tenant_id] = self._generations.get(tenant_id, 0) + 1

    async def aclose(self) -> None:
        """Nothing to release: the values go with the process."""


# --8<-- [end:in-process-cache]
