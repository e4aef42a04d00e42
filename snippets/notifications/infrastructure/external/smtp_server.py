"""The mailer that talks to an SMTP server, with aiosmtplib.

One connection per e-mail, opened, used and closed within :meth:`SmtpMailer.send`: a
consumer sends a few e-mails a second at most, and a connection kept open between them
would only be dropped by the server while idle. Every step is bounded by ``timeout``.
"""

from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib

from notifications.application.interfaces.mailer import MailRefusedError

PERMANENT = 500
"""SMTP replies from 500 up say that the same e-mail will never be accepted."""


# --8<-- [start:smtp-mailer]
@dataclass(frozen=True)
class SmtpMailer:
    """Implements :class:`~notifications.application.interfaces.mailer.Mailer` over SMTP.

    Attributes:
        host: The server's host name or address.
        port: Its port: 25 or 587 (submission) usually, 465 with ``use_tls``.
        timeout: Seconds each step (connecting, each command) may take.
        use_tls: TLS from the first byte (port 465); otherwise aiosmtplib upgrades
            the connection with STARTTLS when the server offers it.
        username: Authenticate with this name and ``password`` (SMTP AUTH), when given.
        password: The password, when ``username`` is given.
    """

    host: str
    port: int
    timeout: float
    use_tls: bool = False
    username: str | None = None
    password: str | None = None

    async def send(self, message: EmailMessage) -> None:
        """Send ``message`` to the recipients its headers name.

        Raises:
            MailRefusedError: The server refused the e-mail with a 5xx reply.
            aiosmtplib.SMTPException: Anything else went wrong; it may pass later.
        """
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                timeout=self.timeout,
                use_tls=self.use_tls,
                username=self.username,
                password=self.password,
            )
        except aiosmtplib.SMTPException as error:
            if _permanent(error):
                raise MailRefusedError(str(error)) from error
            raise


def _permanent(error: aiosmtplib.SMTPException) -> bool:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):  # each recipient's own reply
        return all(refused.code >= PERMANENT for refused in error.recipients)
    return isinstance(error, aiosmtplib.SMTPResponseException) and error.code >= PERMANENT


# --8<-- [end:smtp-mailer]
