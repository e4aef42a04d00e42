"""How long identity's tokens last: the deployable's settings decide, the use cases obey."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class TokenLifetimes:
    """The lifetimes of the tokens identity hands out.

    Attributes:
        access: How long an access token is accepted: its issuer signs it for so long,
            and no revocation shortens it.
        refresh: How long a login lasts without a password, however often it is
            refreshed: a rotated token inherits its family's end.
        verification: How long an e-mail verification link works.
        password_reset: How long a password reset link works; short, since a mailbox
            is a place where links are found later.
    """

    access: timedelta = timedelta(minutes=5)
    refresh: timedelta = timedelta(days=14)
    verification: timedelta = timedelta(days=2)
    password_reset: timedelta = timedelta(minutes=30)
