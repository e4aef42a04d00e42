"""The port to ordering: what an order owes, and the step that marks it paid."""

from typing import Protocol
from uuid import UUID

from shared_kernel.money import Money


# --8<-- [start:order-payments]
class OrderPayments(Protocol):
    """One tenant's orders, as payments needs them."""

    async def amount_due(self, order_id: UUID, /) -> Money:
        """The order's total, while it waits for a payment.

        Raises:
            OrderToPayNotFoundError: The tenant has no such order.
            OrderNotPayableError: The order is paid, shipped or cancelled.
        """
        ...

    async def mark_paid(self, order_id: UUID, /) -> bool:
        """Mark the order paid, unless it is already; return whether it is paid now.

        ``False`` when the order was cancelled before its payment succeeded.
        """
        ...


# --8<-- [end:order-payments]
