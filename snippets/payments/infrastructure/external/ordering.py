"""The adapter behind payments' ``OrderPayments`` port: ordering, in-process.

The one place where payments meets ordering, and it meets only what ordering publishes:
its order queries, its ``pay_order`` use case (the step ``shop orders pay`` takes) and
the errors they promise; an import-linter contract checks that nothing else is used.
"""

from collections.abc import Callable
from uuid import UUID

from ordering.application.dto.order_commands import PayOrder
from ordering.application.interfaces.order_queries import OrderQueries
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.application.use_cases.pay_order import pay_order
from ordering.domain.errors import OrderNotFoundError
from payments.domain.errors import OrderNotPayableError, OrderToPayNotFoundError
from shared_kernel.authorization import Actor, Permission
from shared_kernel.money import Money

# Who pays an order when the provider says so (its verified webhook, or its record of
# the intent that the reconciliation reads): an actor that may record payments and
# nothing else.
PAYMENT_PROVIDER = Actor("payment-provider", frozenset({Permission.ORDERS_PAY}))


# --8<-- [start:ordering-adapter]
class InProcessOrderPayments:
    """One tenant's orders, through ordering's application layer."""

    def __init__(
        self, queries: OrderQueries, unit_of_work: Callable[[], OrderingUnitOfWork]
    ) -> None:
        """Read with ``queries`` and pay in a fresh ``unit_of_work``, both for one tenant."""
        self._queries = queries
        self._unit_of_work = unit_of_work

    async def amount_due(self, order_id: UUID, /) -> Money:
        """The total of ordering's view, in exact Decimals, as a Money of payments' own."""
        try:
            order = await self._queries.get(order_id)
        except OrderNotFoundError as error:
            raise OrderToPayNotFoundError(order_id) from error
        if order.status != "placed":
            raise OrderNotPayableError(order_id, order.status)
        return Money(order.total.amount, order.total.currency)

    async def mark_paid(self, order_id: UUID, /) -> bool:
        """Ordering's ``pay_order`` while the order is placed; nothing once it is paid."""
        order = await self._queries.get(order_id)
        # By the statuses' values, which ordering publishes in its views: its enum is
        # its domain's, which payments does not import.
        if order.status == "placed":
            await pay_order(
                PayOrder(order_id=order_id), self._unit_of_work(), actor=PAYMENT_PROVIDER
            )
            return True
        return order.status in {"paid", "shipped"}


# --8<-- [end:ordering-adapter]
