"""A user: one person who logs in, and the tenants they belong to."""

from dataclasses import dataclass, field
from datetime import datetime

from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.user_id import UserId


# --8<-- [start:user]
@dataclass
class User:
    """A registered user.

    Attributes:
        user_id: The user's id, the ``sub`` of the user's access tokens.
        email: The address the user logs in with, unique among users.
        display_name: What the user is called.
        password_hash: The Argon2id hash in PHC string format; never the password.
        created_at: When the user registered, in UTC.
        email_verified_at: When the user proved to own ``email``, or ``None``.
        memberships: The tenants the user belongs to, with a role in each.
    """

    user_id: UserId
    email: EmailAddress
    display_name: DisplayName
    password_hash: str = field(repr=False)
    created_at: datetime
    email_verified_at: datetime | None = None
    memberships: tuple[Membership, ...] = ()

    @property
    def email_verified(self) -> bool:
        """Whether the user has proved to own the address."""
        return self.email_verified_at is not None

    def verify_email(self, at: datetime) -> None:
        """Record that the user proved to own the address; the first proof counts."""
        if self.email_verified_at is None:
            self.email_verified_at = at


# --8<-- [end:user]
