"""The Order aggregate: what a customer bought, and how far the order has come."""

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar, Self
from uuid import UUID

from ordering.domain.entities.order_line import OrderLine, total_of
from ordering.domain.errors import (
    DuplicateOrderLineError,
    EmptyOrderError,
    InvalidOrderTransitionError,
    TooManyOrderLinesError,
)
from ordering.domain.events.order_events import (
    OrderCancelled,
    OrderedItem,
    OrderPaid,
    OrderPlaced,
    OrderShipped,
)
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import ALLOWED_TRANSITIONS, OrderStatus
from shared_kernel.aggregate import AggregateRoot
from shared_kernel.money import CurrencyMismatchError, Money
from shared_kernel.tenancy import TenantId


# --8<-- [start:order]
class Order(AggregateRoot[OrderId]):
    """An order of one tenant's shop: its lines, which never change, and its status.

    Invariants:
        * One to :attr:`MAX_LINES` lines; each product on one line only; one currency
          for all lines.
        * The status moves only along
          :data:`~ordering.domain.value_objects.order_status.ALLOWED_TRANSITIONS`.
        * Every change records exactly one event.

    Create new orders with :meth:`place`. The constructor rebuilds a stored order and
    records nothing.
    """

    # Bounds the work of every request that reads an order: a page of orders holds at
    # most MAX_LINES times its size in lines (ADR 32). Larger orders go through sales.
    MAX_LINES: ClassVar[int] = 50

    def __init__(  # noqa: PLR0913 - a full snapshot of the state, each part named
        self,
        order_id: OrderId,
        *,
        tenant_id: TenantId,
        lines: Sequence[OrderLine],
        status: OrderStatus,
        placed_at: datetime,
        placed_by: str | None = None,
        version: int = 0,
    ) -> None:
        """Rebuild an order as it was stored; repositories call this.

        Args:
            order_id: The identity.
            tenant_id: The tenant whose shop took the order.
            lines: The lines, in the order they were placed.
            status: Where the order is in its life.
            placed_at: When it was placed (aware, UTC).
            placed_by: Who placed it: the subject of the actor, a user's id or
                ``operator``; ``None`` for an order stored before the shop recorded it.
            version: The stored version, for optimistic concurrency.
        """
        super().__init__(order_id, version=version)
        self._tenant_id = tenant_id
        self._lines = tuple(lines)
        self._status = status
        self._placed_at = placed_at
        self._placed_by = placed_by

    @classmethod
    def place(  # noqa: PLR0913 - the order as placed, each part named
        cls,
        tenant_id: TenantId,
        order_id: OrderId,
        *,
        lines: Sequence[OrderLine],
        placed_at: datetime,
        placed_by: str | None = None,
        customer_email: str | None = None,
    ) -> Self:
        """Create a placed order and record that it was placed.

        ``customer_email``, checked by the caller, travels in the event only: who is
        told about the order is the notifications context's business.

        Raises:
            EmptyOrderError: There are no lines.
            TooManyOrderLinesError: There are more than :attr:`MAX_LINES` lines.
            DuplicateOrderLineError: A product is on more than one line.
            CurrencyMismatchError: The lines are priced in different currencies.
        """
        cls._check_new_lines(lines)
        order = cls(
            order_id,
            tenant_id=tenant_id,
            lines=lines,
            status=OrderStatus.PLACED,
            placed_at=placed_at,
            placed_by=placed_by,
        )
        total = order.total
        order.record_event(
            OrderPlaced(
                tenant_id=tenant_id.value,
                order_id=order_id.value,
                items=tuple(
                    OrderedItem(line.product_id, line.quantity.value, line.unit_price.amount)
                    for line in lines
                ),
                total=total.amount,
                currency=total.currency,
                customer_email=customer_email,
            )
        )
        return order

    @classmethod
    def _check_new_lines(cls, lines: Sequence[OrderLine]) -> None:
        if not lines:
            raise EmptyOrderError
        if len(lines) > cls.MAX_LINES:
            raise TooManyOrderLinesError(len(lines), cls.MAX_LINES)
        seen: set[UUID] = set()
        for line in lines:
            if line.product_id in seen:
                raise DuplicateOrderLineError(line.product_id)
            seen.add(line.product_id)
        currencies = sorted({line.unit_price.currency for line in lines})
        if len(currencies) > 1:
            raise CurrencyMismatchError(currencies[0], currencies[1])

    @property
    def tenant_id(self) -> TenantId:
        """The tenant whose shop took the order."""
        return self._tenant_id

    @property
    def lines(self) -> tuple[OrderLine, ...]:
        """The lines, in the order they were placed."""
        return self._lines

    @property
    def status(self) -> OrderStatus:
        """Where the order is in its life."""
        return self._status

    @property
    def placed_at(self) -> datetime:
        """When the order was placed."""
        return self._placed_at

    @property
    def placed_by(self) -> str | None:
        """Who placed the order, when the shop knows: the placing actor's subject."""
        return self._placed_by

    @property
    def total(self) -> Money:
        """What the order costs: the sum of its lines."""
        return total_of(self._lines)

    # --8<-- [start:state-changes]
    def pay(self) -> None:
        """Record the payment.

        Raises:
            InvalidOrderTransitionError: The order is not placed (paid, shipped, cancelled).
        """
        self._move_to(OrderStatus.PAID)
        self.record_event(OrderPaid(tenant_id=self._tenant_id.value, order_id=self.id.value))

    def ship(self) -> None:
        """Record that the order left the warehouse.

        Raises:
            InvalidOrderTransitionError: The order is not paid.
        """
        self._move_to(OrderStatus.SHIPPED)
        self.record_event(OrderShipped(tenant_id=self._tenant_id.value, order_id=self.id.value))

    def cancel(self) -> None:
        """Cancel the order, paid or not, as long as it has not been shipped.

        Raises:
            InvalidOrderTransitionError: The order was shipped or cancelled already.
        """
        previous = self._status
        self._move_to(OrderStatus.CANCELLED)
        self.record_event(
            OrderCancelled(
                tenant_id=self._tenant_id.value,
                order_id=self.id.value,
                previous_status=previous.value,
            )
        )

    def _move_to(self, requested: OrderStatus) -> None:
        # The one place that changes the status, and it asks the table first.
        if requested not in ALLOWED_TRANSITIONS[self._status]:
            raise InvalidOrderTransitionError(self.id.value, self._status, requested)
        self._status = requested

    # --8<-- [end:state-changes]


# --8<-- [end:order]
