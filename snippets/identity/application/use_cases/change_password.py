"""Change a password, proving the current one; every other login ends."""

from identity.application.dto.user_commands import ChangePassword
from identity.application.errors import InvalidCredentialsError
from identity.application.interfaces.password_hasher import PasswordHasher
from identity.application.interfaces.refresh_token_store import RefreshTokenStore
from identity.domain.repositories.user_repository import UserRepository, load_user
from identity.domain.value_objects.user_id import UserId
from shared_kernel.clock import Clock


async def change_password(  # noqa: PLR0913 - the ports a change touches
    user_id: UserId,
    command: ChangePassword,
    *,
    users: UserRepository,
    hasher: PasswordHasher,
    refresh_tokens: RefreshTokenStore,
    clock: Clock,
) -> None:
    """Store a hash of the new password and revoke the user's refresh tokens.

    The current password is asked for even though the caller holds an access token:
    a token left in a browser should not be enough to take the account over.

    Raises:
        InvalidCredentialsError: The current password is wrong.
    """
    user = await load_user(users, user_id)
    if not await hasher.verify(user.password_hash, command.current_password.get_secret_value()):
        raise InvalidCredentialsError
    user.password_hash = await hasher.hash(command.new_password.get_secret_value())
    await users.update(user)
    await refresh_tokens.revoke_user(user.user_id, clock.now())
