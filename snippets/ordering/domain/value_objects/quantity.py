"""How many of a product an order line asks for."""

from dataclasses import dataclass
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.value_object import ValueObject


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
