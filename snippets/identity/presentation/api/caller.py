"""Who the caller of a request is: the shop user a verified token names, and their tenants.

:func:`caller_user_id` is the one place where a token's subject becomes a shop user:
every endpoint that needs the caller's account, and the platform's tenant access, ask
it, so a change of how subjects map to users is made here once.
"""

from identity.application.interfaces.access_tokens import AccessClaims
from identity.application.use_cases.identify_caller import identify_caller
from identity.domain.errors import UnknownUserError
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.user_id import UserId
from identity.presentation.api.dependencies import AuthenticationRequiredError, IdentityServices


# --8<-- [start:caller]
async def caller_user_id(claims: AccessClaims, services: IdentityServices) -> UserId:
    """The id of the shop user the verified ``claims`` name.

    The shop's own tokens name the user by id in ``sub``; an external provider's user
    is found through the link an operator made (:func:`identify_caller`).

    Raises:
        AuthenticationRequiredError: The claims name no user: the token is refused.
    """
    try:
        return await identify_caller(claims, services.identity_links(), services.token_issuer())
    except UnknownUserError as error:
        raise AuthenticationRequiredError(token_sent=True) from error


async def caller_memberships(
    claims: AccessClaims, services: IdentityServices
) -> tuple[Membership, ...]:
    """The tenants the caller belongs to, and their role in each.

    From the token when the shop issued it: no round trip, and a membership revoked
    stops counting when the token expires. A token without memberships (an external
    provider's) is followed to the user, whose memberships are read from the store.

    Raises:
        AuthenticationRequiredError: The token names no user (any longer).
    """
    if claims.memberships is not None:
        return claims.memberships
    user = await services.users().get(await caller_user_id(claims, services))
    if user is None:
        raise AuthenticationRequiredError(token_sent=True)
    return user.memberships


# --8<-- [end:caller]
