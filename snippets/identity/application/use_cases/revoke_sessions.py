"""End every login of a user, on every device: an operator's answer to a stolen account."""

from identity.application.interfaces.refresh_token_store import RefreshTokenStore
from identity.domain.errors import UnknownUserError
from identity.domain.repositories.user_repository import UserRepository
from identity.domain.value_objects.email_address import EmailAddress
from shared_kernel.clock import Clock


# --8<-- [start:revoke-sessions]
async def revoke_sessions(
    email: EmailAddress, users: UserRepository, refresh_tokens: RefreshTokenStore, clock: Clock
) -> None:
    """Revoke every refresh token of the user with ``email``, of every login.

    No refresh then succeeds, and the user logs in again, with a password or a link
    that only the account's owner should have. The access tokens already issued stay
    valid until they expire, at most one access token lifetime later: they are checked
    without a round trip, which is what makes them cheap.

    Raises:
        UnknownUserError: No user has the address.
    """
    user = await users.get_by_email(email)
    if user is None:
        raise UnknownUserError
    await refresh_tokens.revoke_user(user.user_id, clock.now())


# --8<-- [end:revoke-sessions]
