"""A user's e-mail address, the name a user logs in with."""

from dataclasses import dataclass
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.text import check_text
from shared_kernel.value_object import ValueObject


# --8<-- [start:email-address]
@dataclass(frozen=True)
class EmailAddress(ValueObject):
    """An e-mail address in its one normal form: trimmed, and in lower case.

    One spelling per address makes ``Ann@Example.org`` and ``ann@example.org`` one
    account: the unique index on the column is then the rule that an address registers
    once. Beyond the shape ``local@domain``, the only real check is the verification
    mail that arrives.
    """

    MAX_LENGTH: ClassVar[int] = 254  # the longest path SMTP carries (RFC 5321, 4.5.3.1.3)

    value: str

    def __post_init__(self) -> None:
        """Normalise first, so that the rules and equality see the normal form."""
        object.__setattr__(self, "value", self.value.strip().lower())
        super().__post_init__()

    def validate(self) -> None:
        """Refuse control characters, spaces, a missing part or an overlong address."""
        check_text(self.value, "an e-mail address")
        local, at, domain = self.value.rpartition("@")
        if len(self.value) > self.MAX_LENGTH:
            raise InvalidValueError(f"an e-mail address has at most {self.MAX_LENGTH} characters")
        if not at or not local or "." not in domain.strip(".") or " " in self.value:
            raise InvalidValueError("an e-mail address is shaped local@domain.example")


# --8<-- [end:email-address]
