"""Pay an order: one step of its lifecycle, one transaction."""

from ordering.application.dto.order_commands import PayOrder
from ordering.application.dto.order_views import OrderDetails
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.domain.repositories.order_repository import load_order
from ordering.domain.value_objects.order_id import OrderId
from shared_kernel.authorization import Actor, Permission


async def pay_order(command: PayOrder, uow: OrderingUnitOfWork, *, actor: Actor) -> OrderDetails:
    """Record an order's payment.

    Raises:
        PermissionDeniedError: The actor may not record payments.
        OrderNotFoundError: The tenant has no order with this id.
        InvalidOrderTransitionError: The order is not placed.
        ConcurrencyConflictError: Someone else changed the order meanwhile.
    """
    actor.require(Permission.ORDERS_PAY)  # before anything is read
    async with uow:
        order = await load_order(uow.orders, OrderId(command.order_id))
        order.pay()  # the aggregate checks the move against its state machine
        await uow.commit()
    return OrderDetails.from_order(order)
