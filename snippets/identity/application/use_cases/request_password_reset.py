"""Mail a password reset link to an account's address."""

from identity.application.dto.user_commands import RequestPasswordReset
from identity.application.interfaces.account_mail import AccountMail
from identity.application.interfaces.lifetimes import TokenLifetimes
from identity.application.interfaces.one_time_token_store import OneTimeTokenStore, Purpose
from identity.domain.repositories.user_repository import UserRepository
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.secret_token import SecretToken
from shared_kernel.clock import Clock


async def request_password_reset(  # noqa: PLR0913 - the ports a reset touches
    command: RequestPasswordReset,
    *,
    users: UserRepository,
    tokens: OneTimeTokenStore,
    mail: AccountMail,
    clock: Clock,
    lifetimes: TokenLifetimes,
) -> None:
    """Mail a single-use link if the address has an account; say nothing either way.

    The caller gets the same answer for any address, so this endpoint cannot be used
    to find out who has an account.
    """
    user = await users.get_by_email(EmailAddress(command.email))
    if user is None:
        return
    token = SecretToken.generate()
    expires_at = clock.now() + lifetimes.password_reset
    await tokens.add(Purpose.RESET_PASSWORD, token, user.user_id, expires_at)
    await mail.send_password_reset(user.email, token)
