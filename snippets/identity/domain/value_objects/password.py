"""A password as a user chooses it, before it is hashed."""

from dataclasses import dataclass, field
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.text import check_text
from shared_kernel.value_object import ValueObject


# --8<-- [start:password]
@dataclass(frozen=True)
class NewPassword(ValueObject):
    """A password that may be set: long enough, and one line of any characters.

    Length is the rule, as NIST SP 800-63B recommends, not a mix of character classes;
    the upper bound keeps hashing bounded. The value is left out of ``repr``, so a
    password never reaches a log line or a traceback through this object.
    """

    MIN_LENGTH: ClassVar[int] = 12
    MAX_LENGTH: ClassVar[int] = 256

    value: str = field(repr=False)

    def validate(self) -> None:
        """Refuse a password that is too short, too long or holds control characters."""
        check_text(self.value, "a password")
        if not self.MIN_LENGTH <= len(self.value) <= self.MAX_LENGTH:
            raise InvalidValueError(
                f"a password has {self.MIN_LENGTH} to {self.MAX_LENGTH} characters"
            )


# --8<-- [end:password]
