"""Tenancy: whose data a piece of work is about.

One deployment serves many tenants (shops), and no tenant may ever see another's data.
The rule is kept by construction rather than by discipline: every unit of work and every
query object is created for one :class:`TenantId`, and the methods on them take no tenant
at all, so a read or write that forgets the tenant cannot be written.
"""

import re
from dataclasses import dataclass
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.value_object import ValueObject


# --8<-- [start:tenant-id]
@dataclass(frozen=True)
class TenantId(ValueObject):
    """A tenant's id: a lower-case slug such as ``acme`` or ``north-wind-2``.

    A slug rather than a number, because it appears in headers, logs and URLs where a
    person must recognise it; at most ``MAX_LENGTH`` characters, so it fits a DNS label.
    """

    MAX_LENGTH: ClassVar[int] = 63
    PATTERN: ClassVar[str] = r"^[a-z0-9][a-z0-9-]{1,62}$"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(PATTERN)

    value: str

    def validate(self) -> None:
        """Reject anything but 2 to 63 lower-case letters, digits and hyphens."""
        if not self._PATTERN.fullmatch(self.value):
            raise InvalidValueError(
                f"not a tenant id: {self.value!r} (2 to {self.MAX_LENGTH} lower-case letters,"
                " digits and hyphens, not starting with a hyphen)"
            )

    def __str__(self) -> str:
        return self.value


# --8<-- [end:tenant-id]
