"""What goes into and comes out of the customer use cases.

Input models check their fields with the domain's own value objects, so a rule lives in
one place yet a bad field is reported at its location (``body.email``) before any use
case runs. Output models are plain data, safe to serialise; no entity leaves the
application layer.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Protocol, Self
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.domain.entities.customer import Customer
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from shared_kernel.errors import InvalidValueError


class _StringValue(Protocol):
    @property
    def value(self) -> str: ...


# --8<-- [start:domain-rule]
def _checked_by(value_object: Callable[[str], _StringValue]) -> AfterValidator:
    """Validate a field by building the domain's value object from it."""

    def check(raw: str) -> str:
        try:
            return value_object(raw).value  # the normalised form, e.g. lower-case e-mail
        except InvalidValueError as error:
            # Pydantic turns a ValueError into a field error that names the location.
            raise ValueError(str(error)) from error

    return AfterValidator(check)


EmailField = Annotated[str, Field(max_length=EmailAddress.MAX_LENGTH), _checked_by(EmailAddress)]
NameField = Annotated[str, Field(max_length=CustomerName.MAX_LENGTH), _checked_by(CustomerName)]
# --8<-- [end:domain-rule]


# --8<-- [start:commands]
class RegisterCustomer(BaseModel):
    """A request to register a new customer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    email: EmailField
    name: NameField


class RenameCustomer(BaseModel):
    """A request to change a customer's display name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: NameField


class ListCustomers(BaseModel):
    """Which page of the directory to list."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    offset: int = Field(default=0, ge=0, description="How many customers to skip.")
    limit: int = Field(default=20, ge=1, le=100, description="The page size.")


# --8<-- [end:commands]


# --8<-- [start:views]
class CustomerView(BaseModel):
    """A customer as callers see it."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    email: str
    name: str
    active: bool
    registered_at: datetime

    @classmethod
    def from_customer(cls, customer: Customer) -> Self:
        """Copy what callers may see out of the aggregate."""
        return cls(
            id=customer.id.value,
            email=customer.email.value,
            name=customer.name.value,
            active=customer.active,
            registered_at=customer.registered_at,
        )


class CustomerPage(BaseModel):
    """One page of the directory, in e-mail order."""

    model_config = ConfigDict(frozen=True)

    items: list[CustomerView]
    offset: int
    limit: int


# --8<-- [end:views]
