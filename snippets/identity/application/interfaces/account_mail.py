"""The port through which identity's tokens reach their holders: mail."""

from typing import Protocol

from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.secret_token import SecretToken


class AccountMail(Protocol):
    """Sends the mails of an account's life; the token travels only in the mail."""

    async def send_verification(self, to: EmailAddress, token: SecretToken, /) -> None:
        """Send the link that proves ``to`` belongs to its user."""
        ...

    async def send_password_reset(self, to: EmailAddress, token: SecretToken, /) -> None:
        """Send the link that sets a new password."""
        ...
