"""What can happen to an order, as domain events.

Every event names the tenant and the order, so its row in the outbox says whose it is
and what it concerns without a lookup. Fields are plain values, so an event can be
serialised and read without this domain model.
"""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from shared_kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class OrderEvent(DomainEvent):
    """Base of the order events: whose order, and which."""

    tenant_id: str
    order_id: UUID


@dataclass(frozen=True)
class OrderedItem:
    """One line of a placed order, as plain data."""

    product_id: UUID
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(OrderEvent):
    """A customer placed an order; the catalog's prices at that moment are its prices.

    ``customer_email`` is where the customer asked to hear about the order, if anywhere.
    Ordering does not keep it: the event hands it to the notifications context.
    """

    items: tuple[OrderedItem, ...]
    total: Decimal
    currency: str
    customer_email: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrderPaid(OrderEvent):
    """The order was paid and may be shipped."""


@dataclass(frozen=True, kw_only=True)
class OrderShipped(OrderEvent):
    """The order left the warehouse; it can no longer be cancelled."""


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(OrderEvent):
    """The order was cancelled; if it had been paid, the payment is due back."""

    previous_status: str
