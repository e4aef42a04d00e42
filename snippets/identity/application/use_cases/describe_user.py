"""Who the caller is: the user an access token names, with their memberships."""

from identity.application.dto.user_views import UserView
from identity.domain.repositories.user_repository import UserRepository, load_user
from identity.domain.value_objects.user_id import UserId


async def describe_user(user_id: UserId, users: UserRepository) -> UserView:
    """Return the user with this id, and the tenants they belong to.

    Raises:
        UnknownUserError: No user has the id (any longer).
    """
    return UserView.from_user(await load_user(users, user_id))
