"""What a member may be in a tenant."""

from enum import StrEnum


class Role(StrEnum):
    """A member's role in one tenant: who runs it, who works in it, who buys from it."""

    OWNER = "owner"
    MANAGER = "manager"
    CLERK = "clerk"
    CUSTOMER = "customer"
