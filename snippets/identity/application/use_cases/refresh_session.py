"""The OAuth2 refresh grant: a refresh token, used once, for a new pair of tokens."""

from identity.application.dto.session_views import TokenResponse
from identity.application.errors import InvalidRefreshTokenError
from identity.application.interfaces.access_tokens import AccessTokenIssuer
from identity.application.interfaces.refresh_token_store import Redemption, RefreshTokenStore
from identity.application.use_cases.issue_tokens import issue_tokens
from identity.domain.repositories.user_repository import UserRepository
from identity.domain.value_objects.secret_token import SecretToken
from shared_kernel.clock import Clock


# --8<-- [start:refresh-session]
async def refresh_session(
    token: str,
    refresh_tokens: RefreshTokenStore,
    users: UserRepository,
    issuer: AccessTokenIssuer,
    clock: Clock,
) -> TokenResponse:
    """Rotate the refresh token: redeem it, and issue its successor in the same family.

    A token presented a second time means two parties hold it, the user and a thief,
    and the service cannot tell which one is presenting it now: the whole family is
    revoked, so the thief's copy and every successor it obtained stop working, and the
    user logs in again (RFC 9700, 4.14.2). The user is read again, so the new access
    token carries their memberships as they are now.

    Raises:
        InvalidRefreshTokenError: The token is unknown, expired, revoked or reused.
    """
    now = clock.now()
    outcome, record = await refresh_tokens.redeem(SecretToken(token), now)
    if outcome is Redemption.REUSED and record is not None:
        await refresh_tokens.revoke_family(record.family_id, now)
    if outcome is not Redemption.REDEEMED or record is None:
        raise InvalidRefreshTokenError
    user = await users.get(record.user_id)
    if user is None:  # deleted since the login: nothing left to refresh
        raise InvalidRefreshTokenError
    return await issue_tokens(user, record.family_id, record.expires_at, refresh_tokens, issuer)


# --8<-- [end:refresh-session]
