"""``/me``: who the caller is, by the access token they sent."""

from fastapi import APIRouter

from identity.application.dto.user_views import UserView
from identity.application.use_cases.describe_user import describe_user
from identity.domain.errors import UnknownUserError
from identity.presentation.api.caller import caller_user_id
from identity.presentation.api.dependencies import (
    AuthenticationRequiredError,
    ClaimsDep,
    ServicesDep,
)

router = APIRouter(tags=["identity"])


# --8<-- [start:me]
@router.get("/me")
async def who_am_i(claims: ClaimsDep, services: ServicesDep) -> UserView:
    """Describe the caller and the tenants they belong to; needs a Bearer access token.

    A token whose subject is no user (any longer), or an external provider's user whom
    no operator linked, is refused like any token that is not accepted: 401, and
    nothing that says why.
    """
    user_id = await caller_user_id(claims, services)
    try:
        return await describe_user(user_id, services.users())
    except UnknownUserError as error:
        raise AuthenticationRequiredError(token_sent=True) from error


# --8<-- [end:me]
