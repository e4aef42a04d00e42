"""Redeem the token of a mailed link: the user it was sent to, once."""

from datetime import datetime

from identity.application.errors import InvalidLinkTokenError
from identity.application.interfaces.one_time_token_store import OneTimeTokenStore, Purpose
from identity.domain.entities.user import User
from identity.domain.repositories.user_repository import UserRepository, load_user
from identity.domain.value_objects.secret_token import SecretToken


async def redeem_link(
    purpose: Purpose, token: str, tokens: OneTimeTokenStore, users: UserRepository, now: datetime
) -> User:
    """Use the link's token and return its user; the shared first step of both links.

    Raises:
        InvalidLinkTokenError: The token is unknown, of another purpose, used or expired.
    """
    user_id = await tokens.redeem(purpose, SecretToken(token), now)
    if user_id is None:
        raise InvalidLinkTokenError
    return await load_user(users, user_id)
