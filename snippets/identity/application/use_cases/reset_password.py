"""Set a new password with the token of a reset mail; every login ends."""

from identity.application.dto.user_commands import ResetPassword
from identity.application.interfaces.one_time_token_store import OneTimeTokenStore, Purpose
from identity.application.interfaces.password_hasher import PasswordHasher
from identity.application.interfaces.refresh_token_store import RefreshTokenStore
from identity.application.use_cases.redeem_link import redeem_link
from identity.domain.repositories.user_repository import UserRepository
from shared_kernel.clock import Clock


async def reset_password(  # noqa: PLR0913 - the ports a reset touches
    command: ResetPassword,
    *,
    users: UserRepository,
    tokens: OneTimeTokenStore,
    hasher: PasswordHasher,
    refresh_tokens: RefreshTokenStore,
    clock: Clock,
) -> None:
    """Store a hash of the new password, redeem the token, revoke every refresh token.

    The mail proves the address, so the address is verified too.

    Raises:
        InvalidLinkTokenError: The token is unknown, used or expired.
    """
    now = clock.now()
    user = await redeem_link(Purpose.RESET_PASSWORD, command.token, tokens, users, now)
    user.password_hash = await hasher.hash(command.new_password.get_secret_value())
    user.verify_email(now)
    await users.update(user)
    await refresh_tokens.revoke_user(user.user_id, now)
