"""The port of the links between an external provider's users and the shop's."""

from dataclasses import dataclass
from typing import Protocol

from identity.domain.value_objects.user_id import UserId
from shared_kernel.errors import InvalidValueError


@dataclass(frozen=True)
class ExternalIdentity:
    """A user of an external identity provider: its ``iss`` and the ``sub`` it gives them.

    The pair, never the subject alone: two providers may give the same subject to two
    people, and OpenID Connect promises only that a subject is unique within its issuer.
    """

    issuer: str
    subject: str

    MAX_LENGTH = 255  # OpenID Connect Core, 2: a subject has at most 255 ASCII characters

    def __post_init__(self) -> None:
        """Refuse an empty or overlong issuer or subject: no provider issues one."""
        for name, value in (("issuer", self.issuer), ("subject", self.subject)):
            if not 0 < len(value) <= self.MAX_LENGTH:
                raise InvalidValueError(f"the {name} has 1 to {self.MAX_LENGTH} characters")


# --8<-- [start:identity-links]
class IdentityLinks(Protocol):
    """Which shop user each linked external identity is."""

    async def find(self, identity: ExternalIdentity, /) -> UserId | None:
        """Return the shop user the identity is linked to, or ``None``."""
        ...

    async def link(self, identity: ExternalIdentity, user_id: UserId, /) -> None:
        """Link the identity to the user; linking it to the same user again changes nothing.

        Raises:
            IdentityLinkedElsewhereError: The identity is linked to another user.
        """
        ...


# --8<-- [end:identity-links]
