"""An order's identity."""

from dataclasses import dataclass
from typing import Self
from uuid import UUID, uuid4

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
