"""Link an external provider's user to a user of the shop."""

from identity.application.dto.user_views import UserView
from identity.application.interfaces.identity_links import ExternalIdentity, IdentityLinks
from identity.domain.errors import UnknownUserError
from identity.domain.repositories.user_repository import UserRepository
from identity.domain.value_objects.email_address import EmailAddress


async def link_identity(
    email: EmailAddress, identity: ExternalIdentity, users: UserRepository, links: IdentityLinks
) -> UserView:
    """Make the provider's ``identity`` the user with ``email``, memberships and all.

    Raises:
        UnknownUserError: No user has the address.
        IdentityLinkedElsewhereError: The identity is linked to another user.
    """
    user = await users.get_by_email(email)
    if user is None:
        raise UnknownUserError
    await links.link(identity, user.user_id)
    return UserView.from_user(user)
