"""Where an order is in its life, and where it may go from there."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


# --8<-- [start:order-status]
class OrderStatus(StrEnum):
    """The states of an order; the values are what the API and the database show."""

    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


# --8<-- [start:transitions]
# The whole state machine: an order may move only along these edges. A status that maps
# to nothing is final. Anything not listed raises InvalidOrderTransitionError.
ALLOWED_TRANSITIONS: Final[Mapping[OrderStatus, frozenset[OrderStatus]]] = {
    OrderStatus.PLACED: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}
# --8<-- [end:transitions]
# --8<-- [end:order-status]
