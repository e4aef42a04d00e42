"""Log out: end the login a refresh token belongs to."""

from identity.application.interfaces.refresh_token_store import RefreshTokenStore
from identity.domain.value_objects.secret_token import SecretToken
from shared_kernel.clock import Clock


async def end_session(token: str, refresh_tokens: RefreshTokenStore, clock: Clock) -> None:
    """Revoke the family of the refresh token, whatever state it is in.

    Like token revocation (RFC 7009, 2.2), an unknown or invalid token is no error:
    the caller wants it to stop working, and it does not work. The access tokens
    already issued stay valid until they expire, minutes later; that is the price of
    checking them without a round trip.
    """
    now = clock.now()
    _, record = await refresh_tokens.redeem(SecretToken(token), now)
    if record is not None:
        await refresh_tokens.revoke_family(record.family_id, now)
