"""The name a user is shown by."""

from dataclasses import dataclass
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.text import check_text
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True)
class DisplayName(ValueObject):
    """A display name: one line of 1 to ``MAX_LENGTH`` characters, not blank."""

    MAX_LENGTH: ClassVar[int] = 100

    value: str

    def validate(self) -> None:
        """Refuse a blank or overlong name, or one with characters no name holds."""
        check_text(self.value, "a display name")
        if not self.value.strip() or len(self.value) > self.MAX_LENGTH:
            raise InvalidValueError(
                f"a display name has 1 to {self.MAX_LENGTH} characters and is not blank"
            )
