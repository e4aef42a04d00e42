"""Prove that a user owns their address, with the token of the verification mail."""

from identity.application.dto.user_commands import VerifyEmail
from identity.application.dto.user_views import UserView
from identity.application.interfaces.one_time_token_store import OneTimeTokenStore, Purpose
from identity.application.use_cases.redeem_link import redeem_link
from identity.domain.repositories.user_repository import UserRepository
from shared_kernel.clock import Clock


async def verify_email(
    command: VerifyEmail, users: UserRepository, tokens: OneTimeTokenStore, clock: Clock
) -> UserView:
    """Mark the address of the token's user verified; the token works once.

    Raises:
        InvalidLinkTokenError: The token is unknown, used or expired.
    """
    now = clock.now()
    user = await redeem_link(Purpose.VERIFY_EMAIL, command.token, tokens, users, now)
    user.verify_email(now)
    await users.update(user)
    return UserView.from_user(user)
