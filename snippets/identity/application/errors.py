"""The errors of identity's use cases, each telling the caller no more than it must."""

from shared_kernel.errors import DomainError


class InvalidCredentialsError(Exception):
    """The e-mail address and password do not belong together.

    One error for an unknown address and a wrong password: which of the two it was
    would tell an attacker which addresses have accounts.
    """

    def __init__(self) -> None:
        super().__init__("the e-mail address or the password is wrong")


class InvalidRefreshTokenError(Exception):
    """The refresh token is unknown, expired, revoked, or was used before."""

    def __init__(self) -> None:
        super().__init__("the refresh token is not valid")


class InvalidLinkTokenError(Exception):
    """The token of a verification or reset link is unknown, used or expired."""

    def __init__(self) -> None:
        super().__init__("the link is not valid, or no longer; ask for a new one")


class LoginThrottledError(Exception):
    """Too many failed logins for this account or from this address."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed logins; try again later")
        self.retry_after = retry_after


class IdentityLinkedElsewhereError(DomainError):
    """The external identity is linked to another user of the shop already.

    A link is changed on purpose only: unlinking is a decision, not a side effect of
    linking the identity to someone else.
    """

    def __init__(self) -> None:
        super().__init__("the external identity is linked to another user")
