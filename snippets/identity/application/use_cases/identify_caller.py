"""Who the caller is among the shop's users, by the claims of a verified access token."""

from identity.application.interfaces.access_tokens import AccessClaims
from identity.application.interfaces.identity_links import ExternalIdentity, IdentityLinks
from identity.domain.errors import UnknownUserError
from identity.domain.value_objects.user_id import UserId
from shared_kernel.errors import InvalidValueError


# --8<-- [start:identify-caller]
async def identify_caller(claims: AccessClaims, links: IdentityLinks, own_issuer: str) -> UserId:
    """Return the shop user the token's claims name, or refuse them.

    The shop's own tokens name the user by id in ``sub``. An external provider's name
    its own user, whom an operator linked to a shop user (``shop users link``): the
    issuer and the subject together are looked up, since a provider's subject may look
    like a user id of the shop (many are UUIDs) and must never be taken for one.

    Raises:
        UnknownUserError: The claims name no user of the shop: a subject of ours that
            is no user id, or an external identity that is not linked.
    """
    if claims.issuer == own_issuer:
        try:
            return UserId.from_subject(claims.subject)
        except InvalidValueError as error:
            raise UnknownUserError from error
    user_id = await links.find(ExternalIdentity(claims.issuer, claims.subject))
    if user_id is None:
        raise UnknownUserError
    return user_id


# --8<-- [end:identify-caller]
