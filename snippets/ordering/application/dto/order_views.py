"""What ordering returns: plain, serialisable models; no aggregate leaves the layer.

Command handlers build views from the order they changed (:meth:`OrderDetails.from_order`);
the query port's adapters build them from rows (:meth:`OrderDetails.from_parts`, with
:class:`~ordering.domain.entities.order_line.OrderLine` values made from the line rows), so the
totals are computed by the same domain code either way and no aggregate is loaded.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

from ordering.domain.entities.order import Order
from ordering.domain.entities.order_line import OrderLine, total_of
from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.money import Money


# --8<-- [start:views]
class MoneyView(BaseModel):
    """An amount of money; serialised as ``{"amount": "12.50", "currency": "EUR"}``."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: str

    @classmethod
    def from_money(cls, money: Money) -> Self:
        """Copy the domain's Money."""
        return cls(amount=money.amount, currency=money.currency)


class OrderLineView(BaseModel):
    """One line of an order, with the product as it was when the order was placed."""

    model_config = ConfigDict(frozen=True)

    product_id: UUID
    sku: str
    name: str
    unit_price: MoneyView
    quantity: int
    line_total: MoneyView

    @classmethod
    def from_line(cls, line: OrderLine) -> Self:
        """Copy an order line, with its total."""
        return cls(
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            unit_price=MoneyView.from_money(line.unit_price),
            quantity=line.quantity.value,
            line_total=MoneyView.from_money(line.line_total),
        )


class OrderDetails(BaseModel):
    """An order with its lines and total, as callers see it."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    status: OrderStatus
    placed_at: datetime
    lines: list[OrderLineView]
    total: MoneyView

    @classmethod
    def from_parts(
        cls,
        *,
        order_id: UUID,
        status: OrderStatus,
        placed_at: datetime,
        lines: Sequence[OrderLine],
    ) -> Self:
        """Build the view from an order's stored parts, for query adapters.

        Raises:
            EmptyOrderError: ``lines`` is empty; every stored order has lines.
        """
        return cls(
            id=order_id,
            status=status,
            placed_at=placed_at,
            lines=[OrderLineView.from_line(line) for line in lines],
            total=MoneyView.from_money(total_of(lines)),
        )

    @classmethod
    def from_order(cls, order: Order) -> Self:
        """Copy what callers may see out of the aggregate."""
        return cls.from_parts(
            order_id=order.id.value,
            status=order.status,
            placed_at=order.placed_at,
            lines=order.lines,
        )


class OrderPage(BaseModel):
    """One page of orders, newest first, and where the next page starts.

    Attributes:
        items: Up to the requested number of orders, each with its lines.
        next_cursor: Pass it as ``after`` to get the next page; ``None`` on the last page.
    """

    model_config = ConfigDict(frozen=True)

    items: list[OrderDetails]
    next_cursor: str | None


def _in_utc(instant: datetime) -> datetime:
    """The same instant in UTC, as the database compares it."""
    try:
        return instant.astimezone(UTC)
    except OverflowError as error:  # year 1 at +01:00 is before the first day in UTC
        raise ValueError("the instant is outside the calendar in UTC") from error


class OrderCursor(BaseModel):
    """The key of the order list, newest first: a page starts below this order.

    A cursor (``next_cursor``, ``after``) is this key, encoded by the query adapter.

    Attributes:
        placed_at: When that order was placed; aware, since a naive instant would
            compare by the server's zone, and kept in UTC, where the rows are compared.
        order_id: Its id, which breaks ties between orders placed at the same instant.
    """

    model_config = ConfigDict(frozen=True)

    placed_at: Annotated[AwareDatetime, AfterValidator(_in_utc)]
    order_id: UUID


# --8<-- [end:views]


# --8<-- [start:daily-sales]
class DailySales(BaseModel):
    """One tenant's sales of one day in one currency, as the daily report keeps them.

    Orders placed that day (UTC) count, whatever became of them since, except those
    cancelled by the time the report was compiled.
    """

    model_config = ConfigDict(frozen=True)

    day: date
    orders: int
    units: int
    revenue: MoneyView
    compiled_at: AwareDatetime


# --8<-- [end:daily-sales]
