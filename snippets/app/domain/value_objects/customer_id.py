"""The identity of a customer."""

from dataclasses import dataclass
from typing import Self
from uuid import UUID, uuid4

from shared_kernel.value_object import ValueObject


# --8<-- [start:customer-id]
@dataclass(frozen=True)
class CustomerId(ValueObject):
    """A customer's id: a random UUID, chosen by the domain rather than the database.

    Choosing ids in the domain means a new customer has its identity before it is
    stored, so its events can name it and the database is not asked for one.
    """

    value: UUID

    @classmethod
    def new(cls) -> Self:
        """Create a fresh, random id."""
        return cls(uuid4())

    def __str__(self) -> str:
        """Show the UUID alone, as URLs and messages print it."""
        return str(self.value)


# --8<-- [end:customer-id]
