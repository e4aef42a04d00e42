"""A customer's e-mail address."""

import re
from dataclasses import dataclass
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.text import CONTROL_CHARACTERS, check_text
from shared_kernel.value_object import ValueObject


# --8<-- [start:email-address]
@dataclass(frozen=True)
class EmailAddress(ValueObject):
    """An e-mail address, stored in lower case.

    The check is deliberately loose (something@domain.tld): the only real test of an
    address is a mail that arrives, and rejecting a valid address costs a customer.
    """

    MAX_LENGTH: ClassVar[int] = 254  # the longest address SMTP can carry (RFC 5321)
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
    INPUT_PATTERN: ClassVar[str] = (
        rf"^\s*[^@\s{CONTROL_CHARACTERS}]+@[^@\s{CONTROL_CHARACTERS}]+"
        rf"\.[^@\s{CONTROL_CHARACTERS}]+\s*$"
    )
    """The rules as one regular expression over the address as sent, for input schemas."""

    value: str

    # --8<-- [start:normalise]
    def __post_init__(self) -> None:
        """Normalise before validating, so that equal addresses compare equal."""
        # Mail systems treat addresses case-insensitively in practice; one spelling per
        # address keeps equality and the uniqueness rule in step with that.
        object.__setattr__(self, "value", self.value.strip().lower())
        super().__post_init__()

    # --8<-- [end:normalise]

    def validate(self) -> None:
        """Reject addresses that are too long, hold control characters, or are not shaped so."""
        check_text(self.value, "an e-mail address")
        if len(self.value) > self.MAX_LENGTH:
            raise InvalidValueError(f"an e-mail address has at most {self.MAX_LENGTH} characters")
        if not self._PATTERN.fullmatch(self.value):
            raise InvalidValueError(f"not an e-mail address: {self.value!r}")

    def __str__(self) -> str:
        return self.value


# --8<-- [end:email-address]
