"""The name a customer is known by."""

from dataclasses import dataclass
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.text import check_text
from shared_kernel.value_object import ValueObject


# --8<-- [start:customer-name]
@dataclass(frozen=True)
class CustomerName(ValueObject):
    """A customer's display name: not blank, at most ``MAX_LENGTH`` characters."""

    MAX_LENGTH: ClassVar[int] = 100

    value: str

    def validate(self) -> None:
        """Reject blank and overlong names, and characters no name holds."""
        check_text(self.value, "a customer name")
        if not self.value.strip():
            raise InvalidValueError("a customer name must not be blank")
        if len(self.value) > self.MAX_LENGTH:
            raise InvalidValueError(f"a customer name has at most {self.MAX_LENGTH} characters")

    def __str__(self) -> str:
        return self.value


# --8<-- [end:customer-name]
