"""The values an order is made of: its id and the quantity of a line."""

from dataclasses import dataclass
from typing import ClassVar, Self
from uuid import UUID, uuid4

from shared_kernel.errors import InvalidValueError
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True)
class OrderId(ValueObject):
    """An order's id: a random UUID chosen by the domain, so a new order has it at once."""

    value: UUID

    @classmethod
    def new(cls) -> Self:
        """Create a fresh, random id."""
        return cls(uuid4())

    def __str__(self) -> str:
        """Show the UUID alone, as URLs and messages print it."""
        return str(self.value)


@dataclass(frozen=True)
class Quantity(ValueObject):
    """How many of a product an order line asks for: a whole number, ``MIN`` to ``MAX``."""

    MIN: ClassVar[int] = 1
    MAX: ClassVar[int] = 1000  # larger orders go through sales, not the shop

    value: int

    def validate(self) -> None:
        """Reject anything but an int in range; neither 2.0 nor True is a quantity."""
        if type(self.value) is not int or not self.MIN <= self.value <= self.MAX:
            raise InvalidValueError(
                f"a quantity is a whole number from {self.MIN} to {self.MAX}, got {self.value!r}"
            )
