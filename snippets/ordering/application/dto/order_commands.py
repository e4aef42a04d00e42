"""What a caller may ask ordering to do, as validated input models.

Quantities are checked by the domain's own value object, so the rule lives in one place,
yet a bad quantity is reported at its location (``body.lines.0.quantity``) before any
handler runs. Prices are not input at all: they come from the catalog.
"""

from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from ordering.domain.entities.order import Order
from ordering.domain.value_objects.order_status import OrderStatus
from ordering.domain.value_objects.quantity import Quantity
from shared_kernel.cursor import CURSOR_PATTERN, MAX_CURSOR_LENGTH
from shared_kernel.errors import InvalidValueError


# --8<-- [start:commands]
def _valid_quantity(raw: int) -> int:
    try:
        return Quantity(raw).value
    except InvalidValueError as error:
        # Pydantic turns a ValueError into a field error that names the location.
        raise ValueError(str(error)) from error


# Strict: 2 is a quantity, "2", 2.0 and true are not. The schema states the domain's range.
QuantityField = Annotated[
    int,
    Field(strict=True, json_schema_extra={"minimum": Quantity.MIN, "maximum": Quantity.MAX}),
    AfterValidator(_valid_quantity),
]


class PlaceOrderLine(BaseModel):
    """One line of a new order: which product, and how many."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    product_id: UUID
    quantity: QuantityField


class PlaceOrder(BaseModel):
    """A request to place an order at the catalog's current prices."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # A list, not a tuple: pydantic reports a tuple with a bad item as too short as well.
    # The schema states the domain's bound, so a client learns it before it sends.
    lines: list[PlaceOrderLine] = Field(min_length=1, max_length=Order.MAX_LINES)
    # Checked by email-validator: one address, no line break; a display name is dropped.
    customer_email: EmailStr | None = Field(
        default=None, description="Where to e-mail the customer about the order; optional."
    )


class PayOrder(BaseModel):
    """A request to record an order's payment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: UUID


class ShipOrder(BaseModel):
    """A request to record that an order was shipped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: UUID


class CancelOrder(BaseModel):
    """A request to cancel an order that has not been shipped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: UUID


# --8<-- [end:commands]


DEFAULT_PAGE_SIZE = 20
# With Order.MAX_LINES, this bounds a page of orders to 2,500 lines (ADR 32).
MAX_PAGE_SIZE = 50


class ListOrders(BaseModel):
    """Which page of the order list to read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    after: str | None = Field(
        default=None,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="The next_cursor of the previous page; none for the first.",
    )
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size.")
    status: OrderStatus | None = Field(default=None, description="Only orders in this status.")
