"""Ordering's status feed port: the status changes of one order, as they commit, pushed."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.tenancy import TenantId


@dataclass(frozen=True)
class OrderStatusChange:
    """An order reached a status.

    Attributes:
        order_id: Which order.
        status: The status it has now.
        occurred_at: When it changed, as its event says.
        event_id: The event's id: the same change may come twice, after the commit and
            relayed from the outbox, and reaches the subscribers once.
    """

    order_id: UUID
    status: OrderStatus
    occurred_at: datetime
    event_id: UUID


class TooManySubscribersError(Exception):
    """The feed serves as many subscribers as it may; the client should try again later.

    Attributes:
        retry_after: Seconds after which a retry may find a free place.
    """

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# --8<-- [start:status-feed]
class StatusSubscription(Protocol):
    """One subscriber's place in the feed; :meth:`close` gives the place back."""

    async def next_change(self) -> OrderStatusChange | None:
        """Wait for the order's next change; ``None`` when the heartbeat interval passed."""
        ...

    def close(self) -> None:
        """Stop receiving changes and free the place; closing twice does nothing."""
        ...


class OrderStatusFeed(Protocol):
    """Status changes of orders, pushed to the subscribers of each order of a tenant."""

    def subscribe(self, tenant_id: TenantId, order_id: UUID) -> StatusSubscription:
        """Receive the status changes of ``tenant_id``'s order from now on.

        Raises:
            TooManySubscribersError: The tenant's or the process's bound is reached.
        """
        ...

    def publish(self, tenant_id: TenantId, change: OrderStatusChange) -> None:
        """Hand a committed change to the order's subscribers once; never waits for them."""
        ...


# --8<-- [end:status-feed]
