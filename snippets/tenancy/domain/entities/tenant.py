"""A tenant: one customer organisation of the shop, with its own data."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId
from shared_kernel.text import check_text


@dataclass(frozen=True)
class Tenant:
    """A registered tenant.

    Attributes:
        tenant_id: The slug that requests name the tenant by.
        name: The display name, 1 to ``MAX_NAME_LENGTH`` characters.
        created_at: When the tenant was registered, in UTC.
    """

    MAX_NAME_LENGTH: ClassVar[int] = 200

    tenant_id: TenantId
    name: str
    created_at: datetime

    def __post_init__(self) -> None:
        """Refuse a blank or overlong name, or one with characters no name holds."""
        check_text(self.name, "a tenant name")
        if not self.name.strip() or len(self.name) > self.MAX_NAME_LENGTH:
            raise InvalidValueError(
                f"a tenant name has 1 to {self.MAX_NAME_LENGTH} characters and is not blank"
            )
