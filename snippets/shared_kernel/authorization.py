"""Authorization: what the caller of a piece of work may do in the tenant it acts for.

Every context's application layer checks the permission its use case needs, whoever
calls it: an endpoint, a GraphQL resolver, a command of the command line. So the check
is here, in the kernel every layer may use, and the permissions are named once, for
every context. Which role holds which permission is identity's table
(:mod:`identity.domain.value_objects.permissions`); a use case never asks for a role.
"""

from dataclasses import dataclass
from enum import StrEnum


# --8<-- [start:permission]
class Permission(StrEnum):
    """What a use case may need; named ``resource:action``."""

    CATALOG_READ = "catalog:read"
    CATALOG_WRITE = "catalog:write"
    ORDERS_READ = "orders:read"  # every order of the tenant
    ORDERS_READ_OWN = "orders:read-own"  # the orders the actor placed
    ORDERS_PLACE = "orders:place"
    ORDERS_PAY = "orders:pay"
    ORDERS_SHIP = "orders:ship"
    ORDERS_CANCEL = "orders:cancel"
    PAYMENTS_START = "payments:start"
    PAYMENTS_READ = "payments:read"
    AUDIT_READ = "audit:read"


# --8<-- [end:permission]


class PermissionDeniedError(Exception):
    """The actor lacks the permission the work needs.

    Its message names the permission, which is no secret: the permission matrix is
    published, and a caller who is refused learns only what they may not do.
    """

    def __init__(self, permission: Permission) -> None:
        super().__init__(f"your role in this tenant does not allow {permission.value}")
        self.permission = permission


# --8<-- [start:actor]
@dataclass(frozen=True)
class Actor:
    """Who a piece of work is done by, and what they may do in the tenant it is for.

    The tenant is the unit of work's, made for the tenant the actor was admitted to;
    the actor carries only what their role there allows.

    Attributes:
        subject: Who: a user's id, or ``operator`` for the command line.
        permissions: What the actor's role in the tenant allows.
    """

    subject: str
    permissions: frozenset[Permission]

    def require(self, permission: Permission) -> None:
        """Go on only if the actor holds ``permission``.

        Raises:
            PermissionDeniedError: The actor does not.
        """
        if permission not in self.permissions:
            raise PermissionDeniedError(permission)


OPERATOR = Actor("operator", frozenset(Permission))
"""Whoever runs the command line: they hold the database already, so every permission."""
# --8<-- [end:actor]
