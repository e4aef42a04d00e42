"""Cancel an order: one step of its lifecycle, one transaction."""

from ordering.application.dto.order_commands import CancelOrder
from ordering.application.dto.order_views import OrderDetails
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.domain.repositories.order_repository import load_order
from ordering.domain.value_objects.order_id import OrderId
from shared_kernel.authorization import Actor, Permission


async def cancel_order(
    command: CancelOrder, uow: OrderingUnitOfWork, *, actor: Actor
) -> OrderDetails:
    """Cancel an order that has not been shipped.

    Raises:
        PermissionDeniedError: The actor may not cancel orders.
        OrderNotFoundError: The tenant has no order with this id.
        InvalidOrderTransitionError: The order was shipped or cancelled already.
        ConcurrencyConflictError: Someone else changed the order meanwhile.
    """
    actor.require(Permission.ORDERS_CANCEL)  # before anything is read
    async with uow:
        order = await load_order(uow.orders, OrderId(command.order_id))
        order.cancel()  # the aggregate checks the move against its state machine
        await uow.commit()
    return OrderDetails.from_order(order)
