"""The errors of ordering, each naming the rule that was broken."""

from uuid import UUID

from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.errors import DomainError, InvariantViolationError


class OrderNotFoundError(DomainError):
    """No order of this tenant has the requested id."""

    def __init__(self, order_id: UUID) -> None:
        super().__init__(f"no order has the id {order_id}")
        self.order_id = order_id


class EmptyOrderError(InvariantViolationError):
    """An order needs at least one line."""

    def __init__(self) -> None:
        super().__init__("an order needs at least one line")


class TooManyOrderLinesError(InvariantViolationError):
    """An order has more lines than one order may have; larger orders go through sales."""

    def __init__(self, count: int, most: int) -> None:
        super().__init__(f"an order has at most {most} lines, got {count}")
        self.count = count
        self.most = most


class DuplicateOrderLineError(InvariantViolationError):
    """A product appears on two lines of one order; ask for more on one line instead."""

    def __init__(self, product_id: UUID) -> None:
        super().__init__(f"product {product_id} appears on more than one line")
        self.product_id = product_id


class InvalidOrderTransitionError(InvariantViolationError):
    """The order's state machine has no edge from its current status to the requested one."""

    def __init__(self, order_id: UUID, current: OrderStatus, requested: OrderStatus) -> None:
        super().__init__(f"order {order_id} cannot go from {current} to {requested}")
        self.order_id = order_id
        self.current = current
        self.requested = requested


class ProductUnavailableError(DomainError):
    """An order asks for a product the catalog does not know or no longer sells."""

    def __init__(self, product_id: UUID) -> None:
        super().__init__(f"product {product_id} is unknown or no longer sold")
        self.product_id = product_id
