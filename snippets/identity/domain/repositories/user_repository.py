"""The port of the users' store."""

from typing import Protocol

from identity.domain.entities.user import User
from identity.domain.errors import UnknownUserError
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.user_id import UserId


# --8<-- [start:user-repository]
class UserRepository(Protocol):
    """The registered users; each method is a short transaction of its own."""

    async def get(self, user_id: UserId, /) -> User | None:
        """Return the user with this id and their memberships, or ``None``."""
        ...

    async def get_by_email(self, email: EmailAddress, /) -> User | None:
        """Return the user with this address and their memberships, or ``None``."""
        ...

    async def add(self, user: User, /) -> None:
        """Store a new user.

        Raises:
            EmailAlreadyRegisteredError: The address is taken (settled by a unique index).
        """
        ...

    async def update(self, user: User, /) -> None:
        """Store a user's password hash and verification time."""
        ...

    async def grant(self, user_id: UserId, membership: Membership, /) -> None:
        """Make the user a member of the tenant, or change their role in it.

        Raises:
            MembershipTenantUnknownError: The tenant is not registered.
        """
        ...


# --8<-- [end:user-repository]


async def load_user(users: UserRepository, user_id: UserId) -> User:
    """Return the user with this id.

    Raises:
        UnknownUserError: No user has it (deleted since the token was issued, say).
    """
    user = await users.get(user_id)
    if user is None:
        raise UnknownUserError
    return user
