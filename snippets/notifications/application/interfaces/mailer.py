"""The mailer port: where a finished e-mail goes."""

from email.message import EmailMessage
from typing import Protocol


# --8<-- [start:mailer]
class MailRefusedError(Exception):
    """The mail server refused the e-mail for good (a 5xx reply): trying again cannot help."""


class Mailer(Protocol):
    """Delivers finished RFC 5322 messages: their headers say from whom and to whom."""

    async def send(self, message: EmailMessage) -> None:
        """Hand ``message`` on; return once the next hop has accepted it.

        Raises:
            MailRefusedError: It was refused for good.
            Exception: Anything else (the server is down, slow, busy) may pass if tried
                again later.
        """
        ...


# --8<-- [end:mailer]
