"""The values a product is made of: its id, its SKU, its name and the rule for prices."""

import re
from dataclasses import dataclass
from typing import ClassVar, Self
from uuid import UUID, uuid4

from shared_kernel.errors import InvalidValueError
from shared_kernel.money import Money
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True)
class ProductId(ValueObject):
    """A product's id: a random UUID chosen by the domain, so a new product has it at once."""

    value: UUID

    @classmethod
    def new(cls) -> Self:
        """Create a fresh, random id."""
        return cls(uuid4())

    def __str__(self) -> str:
        """Show the UUID alone, as URLs and messages print it."""
        return str(self.value)


@dataclass(frozen=True)
class Sku(ValueObject):
    """A stock keeping unit: the code a shop knows a product by, e.g. ``MUG-001``.

    Stored in upper case, so ``mug-001`` and ``MUG-001`` are one SKU; unique per tenant.
    """

    MAX_LENGTH: ClassVar[int] = 32
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"[A-Z0-9][A-Z0-9-]{2,31}")

    value: str

    def __post_init__(self) -> None:
        """Normalise before validating, so that equal SKUs compare equal."""
        object.__setattr__(self, "value", self.value.strip().upper())
        super().__post_init__()

    def validate(self) -> None:
        """Reject anything but 3 to 32 letters, digits and hyphens."""
        if not self._PATTERN.fullmatch(self.value):
            raise InvalidValueError(
                f"not a SKU: {self.value!r} (3 to {self.MAX_LENGTH} letters, digits and"
                " hyphens, not starting with a hyphen)"
            )

    def __str__(self) -> str:
        """Show the SKU itself."""
        return self.value


@dataclass(frozen=True)
class ProductName(ValueObject):
    """The name customers see, without surrounding blanks: 1 to ``MAX_LENGTH`` characters."""

    MAX_LENGTH: ClassVar[int] = 200

    value: str

    def __post_init__(self) -> None:
        """Strip surrounding blanks before validating; they carry no meaning."""
        object.__setattr__(self, "value", self.value.strip())
        super().__post_init__()

    def validate(self) -> None:
        """Reject blank and overlong names."""
        if not self.value:
            raise InvalidValueError("a product name must not be blank")
        if len(self.value) > self.MAX_LENGTH:
            raise InvalidValueError(f"a product name has at most {self.MAX_LENGTH} characters")

    def __str__(self) -> str:
        """Show the name itself."""
        return self.value


def check_price(price: Money) -> Money:
    """Return ``price`` if it can be a product's price: any amount that is not negative.

    A function rather than a ``Price`` type, because a price is money in every other
    respect; the input models call it too, so a negative price is a field error.

    Raises:
        InvalidValueError: The amount is negative.
    """
    if price.amount < 0:
        raise InvalidValueError(f"a price must not be negative, got {price}")
    return price
