"""The SKU: the code a shop knows a product by."""

import re
from dataclasses import dataclass
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True)
class Sku(ValueObject):
    """A stock keeping unit: the code a shop knows a product by, e.g. ``MUG-001``.

    Stored in upper case, so ``mug-001`` and ``MUG-001`` are one SKU; unique per tenant.
    """

    MAX_LENGTH: ClassVar[int] = 32
    PATTERN: ClassVar[str] = r"[A-Z0-9][A-Z0-9-]{2,31}"
    """What a SKU is once normalised; clients may send it in lower case too."""
    _ASCII_PATTERN: ClassVar[re.Pattern[str]] = re.compile(PATTERN, re.ASCII | re.IGNORECASE)
    INPUT_PATTERN: ClassVar[str] = r"^\s*[A-Za-z0-9][A-Za-z0-9-]{2,31}\s*$"
    """What is accepted as a SKU before it is normalised, for input schemas."""

    value: str

    def __post_init__(self) -> None:
        """Normalise before validating, so that equal SKUs compare equal."""
        object.__setattr__(self, "value", self.value.strip())
        super().__post_init__()
        # Only now: str.upper() turns some letters beyond ASCII into ASCII ones (U+0131, U+FB00).
        object.__setattr__(self, "value", self.value.upper())

    def validate(self) -> None:
        """Reject anything but 3 to 32 ASCII letters, digits and hyphens."""
        if not self._ASCII_PATTERN.fullmatch(self.value):
            raise InvalidValueError(
                f"not a SKU: {self.value!r} (3 to {self.MAX_LENGTH} letters, digits and"
                " hyphens, not starting with a hyphen)"
            )

    def __str__(self) -> str:
        return self.value
