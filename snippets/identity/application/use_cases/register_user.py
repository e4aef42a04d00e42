"""Open an account, and mail the link that verifies its address."""

from identity.application.dto.user_commands import RegisterUser
from identity.application.dto.user_views import UserView
from identity.application.interfaces.account_mail import AccountMail
from identity.application.interfaces.lifetimes import TokenLifetimes
from identity.application.interfaces.one_time_token_store import OneTimeTokenStore, Purpose
from identity.application.interfaces.password_hasher import PasswordHasher
from identity.domain.entities.user import User
from identity.domain.repositories.user_repository import UserRepository
from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.secret_token import SecretToken
from identity.domain.value_objects.user_id import UserId
from shared_kernel.clock import Clock


# --8<-- [start:register-user]
async def register_user(  # noqa: PLR0913 - the ports a registration touches
    command: RegisterUser,
    *,
    users: UserRepository,
    hasher: PasswordHasher,
    tokens: OneTimeTokenStore,
    mail: AccountMail,
    clock: Clock,
    lifetimes: TokenLifetimes,
) -> UserView:
    """Store a new user with a hashed password, and mail a verification link.

    The link's token is stored as a digest and travels only in the mail, so the
    response, the logs and the database never hold it.

    Raises:
        EmailAlreadyRegisteredError: The address has an account.
    """
    now = clock.now()
    user = User(
        UserId.new(),
        EmailAddress(command.email),
        DisplayName(command.display_name),
        password_hash=await hasher.hash(command.password.get_secret_value()),
        created_at=now,
    )
    await users.add(user)
    token = SecretToken.generate()
    expires_at = now + lifetimes.verification
    await tokens.add(Purpose.VERIFY_EMAIL, token, user.user_id, expires_at)
    await mail.send_verification(user.email, token)
    return UserView.from_user(user)


# --8<-- [end:register-user]
