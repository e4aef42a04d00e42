"""Make a user a member of a tenant, in a role."""

from identity.application.dto.user_views import UserView
from identity.domain.errors import UnknownUserError
from identity.domain.repositories.user_repository import UserRepository, load_user
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.membership import Membership


async def grant_membership(
    email: EmailAddress, membership: Membership, users: UserRepository
) -> UserView:
    """Give the user with ``email`` the membership; a second grant changes the role.

    Raises:
        UnknownUserError: No user has the address.
        MembershipTenantUnknownError: The tenant is not registered.
    """
    user = await users.get_by_email(email)
    if user is None:
        raise UnknownUserError
    await users.grant(user.user_id, membership)
    return UserView.from_user(await load_user(users, user.user_id))
