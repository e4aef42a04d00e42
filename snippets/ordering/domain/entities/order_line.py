"""One line of an order: a product, a copy of what it was when ordered, and how many."""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from ordering.domain.errors import EmptyOrderError
from ordering.domain.value_objects.quantity import Quantity
from shared_kernel.errors import InvalidValueError
from shared_kernel.money import Money
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True, kw_only=True)
class OrderLine(ValueObject):
    """A product on an order, with the SKU, name and price it had when it was ordered.

    The copies are deliberate: an order is a record of what was bought at what price, so
    a later rename or repricing in the catalog must not change it.
    """

    product_id: UUID
    sku: str
    name: str
    unit_price: Money
    quantity: Quantity

    def validate(self) -> None:
        """Reject blank copies and negative prices."""
        if not self.sku.strip() or not self.name.strip():
            raise InvalidValueError("an order line needs the product's SKU and name")
        if self.unit_price.amount < 0:
            raise InvalidValueError(f"a unit price must not be negative, got {self.unit_price}")

    @property
    def line_total(self) -> Money:
        """The unit price times the quantity."""
        return self.unit_price * self.quantity.value


def total_of(lines: Sequence[OrderLine]) -> Money:
    """The sum of the lines' totals.

    Raises:
        EmptyOrderError: There are no lines, so there is not even a currency.
        CurrencyMismatchError: The lines are in different currencies.
    """
    if not lines:
        raise EmptyOrderError
    first, *others = lines
    return sum((line.line_total for line in others), start=first.line_total)
