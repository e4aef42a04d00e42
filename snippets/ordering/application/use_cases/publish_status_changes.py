"""Push the status changes that committed events describe to the order's subscribers."""

from collections.abc import Mapping, Sequence

from ordering.application.interfaces.order_status_feed import OrderStatusChange, OrderStatusFeed
from ordering.domain.events.order_events import OrderCancelled, OrderEvent, OrderPaid, OrderShipped
from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId

STATUS_AFTER: Mapping[type[OrderEvent], OrderStatus] = {
    OrderPaid: OrderStatus.PAID,
    OrderShipped: OrderStatus.SHIPPED,
    OrderCancelled: OrderStatus.CANCELLED,
}


# --8<-- [start:publish-status-changes]
async def publish_status_changes(feed: OrderStatusFeed, events: Sequence[DomainEvent]) -> None:
    """Publish the status each paid, shipped or cancelled event leaves its order in.

    Call it with committed events only: after the commit in the process that made them.
    Every process hears of them again from the outbox, through its own consumer
    (:mod:`ordering.infrastructure.messaging.status_changes`); the feed passes each
    event on once. Other events are ignored.

    Args:
        feed: Where the order's subscribers wait.
        events: Committed events, of any context and any tenant.
    """
    for event in events:
        if isinstance(event, OrderEvent) and (status := STATUS_AFTER.get(type(event))):
            change = OrderStatusChange(event.order_id, status, event.occurred_at, event.event_id)
            feed.publish(TenantId(event.tenant_id), change)


# --8<-- [end:publish-status-changes]
