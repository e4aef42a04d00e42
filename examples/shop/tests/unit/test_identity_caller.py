"""The caller's memberships when the token carries none: read from the linked user, or refused."""

from datetime import UTC, datetime
from typing import Any

import pytest

from identity.application.interfaces.access_tokens import AccessClaims
from identity.application.interfaces.identity_links import ExternalIdentity
from identity.domain.entities.user import User
from identity.domain.value_objects.user_id import UserId
from identity.presentation.api.caller import caller_memberships
from identity.presentation.api.dependencies import AuthenticationRequiredError

pytestmark = pytest.mark.anyio


class LinkedToNoOne:
    """Services whose provider's user is linked to a shop user who is gone since."""

    class Links:
        async def find(self, identity: ExternalIdentity, /) -> UserId | None:
            del identity  # every identity is linked, to someone who is gone
            return UserId.new()

    class Users:
        async def get(self, user_id: UserId, /) -> User | None:
            del user_id  # no user exists
            return None

    def identity_links(self) -> Any:
        return self.Links()

    def users(self) -> Any:
        return self.Users()

    def token_issuer(self) -> str:
        return "shop"


async def test_a_provider_token_whose_linked_user_is_gone_is_refused() -> None:
    claims = AccessClaims("idp|ann", "https://idp.example", "t-1", datetime.now(UTC))

    with pytest.raises(AuthenticationRequiredError):
        await caller_memberships(claims, LinkedToNoOne())  # type: ignore[arg-type]
