"""The order status feed in this process: the adapter to the clients that watch orders."""

import asyncio
from collections import Counter, OrderedDict, defaultdict
from uuid import UUID

from ordering.application.interfaces.order_status_feed import (
    OrderStatusChange,
    TooManySubscribersError,
)
from shared_kernel.tenancy import TenantId


class _Subscription:
    """A subscriber's queue of changes; implements ``StatusSubscription``."""

    def __init__(self, feed: "InProcessOrderStatusFeed", key: tuple[TenantId, UUID]) -> None:
        self._feed = feed
        self.key = key
        # Few changes can happen to one order (paid, shipped or cancelled): a small bound.
        self.queue: asyncio.Queue[OrderStatusChange] = asyncio.Queue(maxsize=8)
        self.closed = False

    async def next_change(self) -> OrderStatusChange | None:
        """The next change, or ``None`` after the feed's heartbeat interval."""
        try:
            return await asyncio.wait_for(self.queue.get(), self._feed.heartbeat)
        except TimeoutError:
            return None

    def close(self) -> None:
        """Leave the feed."""
        if not self.closed:
            self.closed = True
            self._feed.leave(self)


# --8<-- [start:in-process-feed]
class InProcessOrderStatusFeed:
    """Subscribers per order in a map of this process; implements ``OrderStatusFeed``.

    Bounded twice, because every subscriber holds a connection open: at most
    ``max_per_tenant`` subscribers of one tenant, so one tenant cannot take every place,
    and ``max_total`` in the process. A subscriber that does not read its changes loses the
    oldest, never blocks the publisher: the latest status is what a client shows. A change
    comes twice to the process that committed it, after the commit and relayed from the
    outbox (ADR 90): the feed remembers the last ``remembered`` events' ids, and passes
    each event on once.
    """

    def __init__(
        self,
        *,
        max_per_tenant: int = 100,
        max_total: int = 1_000,
        heartbeat: float = 15.0,
        retry_after: int = 5,
        remembered: int = 10_000,
    ) -> None:
        """Make an empty feed.

        Args:
            max_per_tenant: Subscribers one tenant may have at once.
            max_total: Subscribers this process serves at once.
            heartbeat: Seconds of silence after which a subscriber is told so, for the
                connection's sake (proxies close connections that stay quiet).
            retry_after: Seconds a refused subscriber is told to wait.
            remembered: How many of the latest events' ids are kept to drop their
                second coming; more than the changes of a relay's delay.
        """
        self.max_per_tenant = max_per_tenant
        self.max_total = max_total
        self.heartbeat = heartbeat
        self.retry_after = retry_after
        self._subscribers: defaultdict[tuple[TenantId, UUID], set[_Subscription]] = defaultdict(set)
        self._per_tenant: Counter[TenantId] = Counter()
        self._remembered = remembered
        self._seen: OrderedDict[UUID, None] = OrderedDict()

    def subscribe(self, tenant_id: TenantId, order_id: UUID) -> _Subscription:
        """Take a place, if the bounds leave one."""
        if self._per_tenant.total() >= self.max_total:
            raise TooManySubscribersError(
                "this server has no place for a subscriber", self.retry_after
            )
        if self._per_tenant[tenant_id] >= self.max_per_tenant:
            raise TooManySubscribersError(
                f"tenant {tenant_id} has {self.max_per_tenant} subscribers already",
                self.retry_after,
            )
        subscription = _Subscription(self, (tenant_id, order_id))
        self._subscribers[subscription.key].add(subscription)
        self._per_tenant[tenant_id] += 1
        return subscription

    def publish(self, tenant_id: TenantId, change: OrderStatusChange) -> None:
        """Put the change in the queue of each of the order's subscribers, the first time."""
        if change.event_id in self._seen:  # after the commit, and now relayed
            return
        self._seen[change.event_id] = None
        if len(self._seen) > self._remembered:
            self._seen.popitem(last=False)  # the oldest: its second coming is long past
        for subscription in self._subscribers.get((tenant_id, change.order_id), ()):
            if subscription.queue.full():
                subscription.queue.get_nowait()  # a slow reader keeps the latest changes
            subscription.queue.put_nowait(change)

    def leave(self, subscription: _Subscription) -> None:
        """Give a closed subscription's place back."""
        subscribers = self._subscribers[subscription.key]
        subscribers.discard(subscription)
        if not subscribers:
            del self._subscribers[subscription.key]
        self._per_tenant[subscription.key[0]] -= 1

    @property
    def subscribers(self) -> int:
        """How many subscribers the feed serves now."""
        return self._per_tenant.total()


# --8<-- [end:in-process-feed]
