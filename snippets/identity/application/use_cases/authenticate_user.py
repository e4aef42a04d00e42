"""The OAuth2 password grant: an e-mail address and a password for a pair of tokens."""

from uuid import uuid4

from identity.application.dto.session_views import TokenResponse
from identity.application.errors import InvalidCredentialsError, LoginThrottledError
from identity.application.interfaces.access_tokens import AccessTokenIssuer
from identity.application.interfaces.lifetimes import TokenLifetimes
from identity.application.interfaces.login_throttle import LoginThrottle
from identity.application.interfaces.password_hasher import PasswordHasher
from identity.application.interfaces.refresh_token_store import RefreshTokenStore
from identity.application.use_cases.issue_tokens import issue_tokens
from identity.domain.repositories.user_repository import UserRepository
from identity.domain.value_objects.email_address import EmailAddress
from shared_kernel.clock import Clock
from shared_kernel.errors import InvalidValueError


# --8<-- [start:authenticate-user]
async def authenticate_user(  # noqa: PLR0913 - the ports a login touches
    email: str,
    password: str,
    address: str,
    *,
    users: UserRepository,
    hasher: PasswordHasher,
    throttle: LoginThrottle,
    refresh_tokens: RefreshTokenStore,
    issuer: AccessTokenIssuer,
    clock: Clock,
    lifetimes: TokenLifetimes,
) -> TokenResponse:
    """Check the password, and start a login: a new family of refresh tokens.

    Failures count against the account and the caller's address; while either is
    over the throttle's limit, no password is even checked. A hash made with older
    parameters is replaced by one with today's, now that the password is at hand.

    Args:
        email: The address the user registered with, as typed.
        password: The password, as typed.
        address: The caller's network address, the throttle's second key.
        users: The registered users.
        hasher: Checks the password, and makes a new hash when parameters changed.
        throttle: Counts failed logins.
        refresh_tokens: Where the new refresh token's digest goes.
        issuer: Signs the access token.
        clock: Where the time comes from.
        lifetimes: How long the login lasts.

    Raises:
        LoginThrottledError: Too many failures; carries the seconds to wait.
        InvalidCredentialsError: The address or the password is wrong.
    """
    try:
        account: EmailAddress | None = EmailAddress(email)
    except InvalidValueError:
        account = None  # no account has it; the failure still counts, as typed
    name = email[: EmailAddress.MAX_LENGTH] if account is None else account.value
    keys = [f"account:{name}", f"address:{address}"]
    retry_after = await throttle.retry_after(keys)
    if retry_after is not None:
        raise LoginThrottledError(retry_after)
    user = None if account is None else await users.get_by_email(account)
    if user is None:
        # Hashing costs what checking would: the answer's timing does not tell an
        # unknown address from a wrong password.
        await hasher.hash(password)
        await throttle.failed(keys)
        raise InvalidCredentialsError
    if not await hasher.verify(user.password_hash, password):
        await throttle.failed(keys)
        raise InvalidCredentialsError
    await throttle.succeeded(keys[0])
    if hasher.needs_rehash(user.password_hash):
        user.password_hash = await hasher.hash(password)
        await users.update(user)
    expires_at = clock.now() + lifetimes.refresh
    return await issue_tokens(user, uuid4(), expires_at, refresh_tokens, issuer)


# --8<-- [end:authenticate-user]
