"""The name customers see."""

from dataclasses import dataclass
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.text import check_text
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True)
class ProductName(ValueObject):
    """The name customers see, without surrounding blanks: 1 to ``MAX_LENGTH`` characters."""

    MAX_LENGTH: ClassVar[int] = 200

    value: str

    def __post_init__(self) -> None:
        """Strip surrounding blanks before validating; they carry no meaning.

        Control characters are refused first: some of them count as blanks (U+0085), and
        a name would otherwise be accepted or refused by where they stand.
        """
        check_text(self.value, "a product name")
        object.__setattr__(self, "value", self.value.strip())
        super().__post_init__()

    def validate(self) -> None:
        """Reject blank and overlong names."""
        if not self.value:
            raise InvalidValueError("a product name must not be blank")
        if len(self.value) > self.MAX_LENGTH:
            raise InvalidValueError(f"a product name has at most {self.MAX_LENGTH} characters")

    def __str__(self) -> str:
        return self.value
