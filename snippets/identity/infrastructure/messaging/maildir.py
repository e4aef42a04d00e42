"""Identity's mail, delivered into a Maildir: the mailbox format that needs no server.

Each message is a complete RFC 5322 mail in a file of its own. A mail transfer agent
can send what lands there, and a developer reads it with any mail client or ``cat``;
the tests read it back to follow the links. The token travels only in the mail: it is
neither logged nor stored.
"""

import mailbox
from email.message import EmailMessage
from pathlib import Path

import anyio.to_thread

from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.secret_token import SecretToken

SENDER = "shop@localhost"


# --8<-- [start:maildir]
class MaildirAccountMail:
    """Writes each mail into a Maildir; implements ``AccountMail``."""

    def __init__(self, directory: Path, base_url: str) -> None:
        """Deliver into ``directory`` (made if missing) links that start with ``base_url``."""
        self._directory = directory
        self._base_url = base_url.rstrip("/")

    # The token in the link's fragment: a browser never sends a fragment to a server,
    # so opening the link puts the token in no access log and no Referer header.
    async def send_verification(self, to: EmailAddress, token: SecretToken, /) -> None:
        """Mail the verification link."""
        await self._send(
            to,
            "Confirm your e-mail address",
            f"Confirm your address: {self._base_url}/verify-email#token={token.value}",
        )

    async def send_password_reset(self, to: EmailAddress, token: SecretToken, /) -> None:
        """Mail the reset link."""
        await self._send(
            to,
            "Reset your password",
            f"Set a new password: {self._base_url}/reset-password#token={token.value}\n"
            "If you did not ask for it, ignore this mail: your password stays as it is.",
        )

    async def _send(self, to: EmailAddress, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = SENDER, to.value, subject
        message.set_content(body)
        # In a worker thread: the file system may block, and the event loop must not.
        await anyio.to_thread.run_sync(self._deliver, message)

    def _deliver(self, message: EmailMessage) -> None:
        mailbox.Maildir(self._directory, create=True).add(message)


# --8<-- [end:maildir]
