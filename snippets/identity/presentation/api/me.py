"""``/me``: who the caller is, by the access token they sent."""

from fastapi import APIRouter

from identity.application.dto.user_views import UserView
from identity.application.use_cases.describe_user import describe_user
from identity.domain.errors import UnknownUserError
from identity.domain.value_objects.user_id import UserId
from identity.presentation.api.dependencies import (
    AuthenticationRequiredError,
    ClaimsDep,
    ServicesDep,
)
from shared_kernel.errors import InvalidValueError

router = APIRouter(tags=["identity"])


# --8<-- [start:me]
@router.get("/me")
async def who_am_i(claims: ClaimsDep, services: ServicesDep) -> UserView:
    """Describe the caller and the tenants they belong to; needs a Bearer access token.

    A token whose subject is no user (any longer) is refused like any token that is
    not accepted: 401, and nothing that says why.
    """
    try:
        return await describe_user(UserId.from_subject(claims.subject), services.users())
    except (UnknownUserError, InvalidValueError) as error:
        raise AuthenticationRequiredError(token_sent=True) from error


# --8<-- [end:me]
