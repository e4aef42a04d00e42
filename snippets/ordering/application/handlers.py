"""Command handlers that move an order through its lifecycle: pay, ship, cancel.

Each is one transaction: load the order, let the aggregate check the transition against
its state machine, commit. They differ only in the transition, so they share the rest.
"""

from collections.abc import Callable
from uuid import UUID

from ordering.application.commands import CancelOrder, PayOrder, ShipOrder
from ordering.application.unit_of_work import OrderingUnitOfWork
from ordering.application.views import OrderDetails
from ordering.domain.order import Order
from ordering.domain.repository import load_order
from ordering.domain.value_objects import OrderId


async def pay_order(command: PayOrder, uow: OrderingUnitOfWork) -> OrderDetails:
    """Record an order's payment.

    Raises:
        OrderNotFoundError: The tenant has no order with this id.
        InvalidOrderTransitionError: The order is not placed.
        ConcurrencyConflictError: Someone else changed the order meanwhile.
    """
    return await _change(command.order_id, uow, Order.pay)


async def ship_order(command: ShipOrder, uow: OrderingUnitOfWork) -> OrderDetails:
    """Record that an order was shipped.

    Raises:
        OrderNotFoundError: The tenant has no order with this id.
        InvalidOrderTransitionError: The order is not paid.
        ConcurrencyConflictError: Someone else changed the order meanwhile.
    """
    return await _change(command.order_id, uow, Order.ship)


async def cancel_order(command: CancelOrder, uow: OrderingUnitOfWork) -> OrderDetails:
    """Cancel an order that has not been shipped.

    Raises:
        OrderNotFoundError: The tenant has no order with this id.
        InvalidOrderTransitionError: The order was shipped or cancelled already.
        ConcurrencyConflictError: Someone else changed the order meanwhile.
    """
    return await _change(command.order_id, uow, Order.cancel)


async def _change(
    order_id: UUID, uow: OrderingUnitOfWork, transition: Callable[[Order], None]
) -> OrderDetails:
    async with uow:
        order = await load_order(uow.orders, OrderId(order_id))
        transition(order)
        await uow.commit()
    return OrderDetails.from_order(order)
