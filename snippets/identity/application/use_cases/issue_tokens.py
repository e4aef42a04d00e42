"""Hand out an access token and the refresh token of a login."""

from datetime import datetime
from uuid import UUID

from identity.application.dto.session_views import TokenResponse
from identity.application.interfaces.access_tokens import AccessTokenIssuer
from identity.application.interfaces.refresh_token_store import (
    RefreshTokenRecord,
    RefreshTokenStore,
)
from identity.domain.entities.user import User
from identity.domain.value_objects.secret_token import SecretToken


async def issue_tokens(
    user: User,
    family_id: UUID,
    expires_at: datetime,
    refresh_tokens: RefreshTokenStore,
    issuer: AccessTokenIssuer,
) -> TokenResponse:
    """Sign an access token for the user and store the digest of a new refresh token.

    The access token carries the user's memberships as they are now; a refresh reads
    them again, so a membership granted or revoked counts from the next refresh on.

    Args:
        user: Whose tokens they are, with their memberships.
        family_id: The login they belong to: new at a login, kept by each refresh.
        expires_at: When the login ends, whatever is refreshed before then.
        refresh_tokens: Where the refresh token's digest is kept.
        issuer: What signs the access token.
    """
    refresh = SecretToken.generate()
    await refresh_tokens.add(
        RefreshTokenRecord(refresh.selector, refresh.digest(), family_id, user.user_id, expires_at)
    )
    access = issuer.issue(str(user.user_id.value), user.memberships)
    return TokenResponse(
        access_token=access.token, expires_in=access.expires_in, refresh_token=refresh.value
    )
