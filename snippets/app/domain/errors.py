"""The errors of the customer domain, each naming the rule that was broken."""

from uuid import UUID

from shared_kernel.errors import DomainError, InvariantViolationError


# --8<-- [start:customer-errors]
class CustomerNotFoundError(DomainError):
    """No customer has the requested id."""

    def __init__(self, customer_id: UUID) -> None:
        super().__init__(f"no customer has the id {customer_id}")
        self.customer_id = customer_id


class EmailAlreadyRegisteredError(DomainError):
    """Another customer already uses the e-mail address; addresses are unique."""

    def __init__(self, email: str) -> None:
        super().__init__(f"the e-mail address {email} is already registered")
        self.email = email


class CustomerInactiveError(InvariantViolationError):
    """The customer was deactivated, and a deactivated customer cannot change."""

    def __init__(self, customer_id: UUID) -> None:
        super().__init__(f"customer {customer_id} is deactivated and cannot be changed")
        self.customer_id = customer_id


# --8<-- [end:customer-errors]
