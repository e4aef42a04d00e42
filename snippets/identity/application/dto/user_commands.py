"""What a caller may ask identity to do, as validated input models.

Each field is checked by the domain's value object, so a bad field is named at its
location before a use case runs. Passwords are :class:`~pydantic.SecretStr`: printed,
logged or put in an error, they show as ``**********``.
"""

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr

from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.password import NewPassword
from identity.domain.value_objects.secret_token import SecretToken
from shared_kernel.errors import InvalidValueError


def _checked_by(value_object: Callable[[Any], Any]) -> AfterValidator:
    """Validate a field by building the domain's value object from it."""

    def check(raw: Any) -> Any:
        plain = raw.get_secret_value() if isinstance(raw, SecretStr) else raw
        try:
            checked = value_object(plain)
        except InvalidValueError as error:
            raise ValueError(str(error)) from error  # Pydantic names the field
        return raw if isinstance(raw, SecretStr) else checked.value

    return AfterValidator(check)


Email = Annotated[str, Field(max_length=EmailAddress.MAX_LENGTH), _checked_by(EmailAddress)]
Password = Annotated[SecretStr, Field(max_length=NewPassword.MAX_LENGTH), _checked_by(NewPassword)]
LinkToken = Annotated[str, Field(max_length=SecretToken.MAX_LENGTH), _checked_by(SecretToken)]


class RegisterUser(BaseModel):
    """Open an account; the address is verified by the mail it receives."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    email: Email
    display_name: Annotated[str, Field(max_length=DisplayName.MAX_LENGTH), _checked_by(DisplayName)]
    password: Password


class VerifyEmail(BaseModel):
    """Prove the address, with the token of the verification mail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    token: LinkToken


class ChangePassword(BaseModel):
    """Set a new password, proving the current one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    current_password: Annotated[SecretStr, Field(max_length=NewPassword.MAX_LENGTH)]
    new_password: Password


class RequestPasswordReset(BaseModel):
    """Ask for a reset link at the account's address."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    email: Email


class ResetPassword(BaseModel):
    """Set a new password with the token of the reset mail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    token: LinkToken
    new_password: Password
