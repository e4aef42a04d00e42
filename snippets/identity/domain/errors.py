"""The errors of identity's domain."""

from shared_kernel.errors import DomainError


class EmailAlreadyRegisteredError(DomainError):
    """An account with this e-mail address exists.

    Registration says so, as most services do: the verification mail goes to the
    address either way, and the throttle on logins, not secrecy of who registered,
    is what protects an account.
    """

    def __init__(self) -> None:
        super().__init__("an account with this e-mail address exists")


class UnknownUserError(DomainError):
    """No user has this e-mail address or id."""

    def __init__(self) -> None:
        super().__init__("no user has this e-mail address")


class MembershipTenantUnknownError(DomainError):
    """A membership names a tenant that is not registered."""

    def __init__(self) -> None:
        super().__init__("no tenant has this id")
