"""What goes into the customer use cases, as validated input models.

Input models check their fields with the domain's own value objects, so a rule lives in
one place yet a bad field is reported at its location (``body.email``) before any use
case runs.
"""

from collections.abc import Callable
from typing import Annotated, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from shared_kernel.cursor import CURSOR_PATTERN, MAX_CURSOR_LENGTH
from shared_kernel.errors import InvalidValueError
from shared_kernel.text import NON_BLANK_TEXT_PATTERN


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


# The schema states each rule; the value object enforces it (a pattern that names
# surrogates is beyond Pydantic's own regular expressions).
EmailField = Annotated[
    str,
    Field(
        max_length=EmailAddress.MAX_LENGTH,
        json_schema_extra={"pattern": EmailAddress.INPUT_PATTERN},
    ),
    _checked_by(EmailAddress),
]
NameField = Annotated[
    str,
    Field(
        max_length=CustomerName.MAX_LENGTH, json_schema_extra={"pattern": NON_BLANK_TEXT_PATTERN}
    ),
    _checked_by(CustomerName),
]
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


DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class ListCustomers(BaseModel):
    """Which page of the directory to list."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    after: str | None = Field(
        default=None,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="The next_cursor of the previous page; none for the first.",
    )
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size.")


# --8<-- [end:commands]
