"""What a login or a refresh returns: the token response of OAuth2 (RFC 6749, 5.1)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict


# --8<-- [start:token-response]
class TokenResponse(BaseModel):
    """An access token and the refresh token that replaces it when it expires.

    Field names are RFC 6749's, so that any OAuth2 client library reads them.
    """

    model_config = ConfigDict(frozen=True)

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the type's name, no secret
    expires_in: int
    refresh_token: str


# --8<-- [end:token-response]
