"""The default mailer: each e-mail written to a directory as an ``.eml`` file.

What the shop uses while no SMTP server is configured, so that ``shop consume
notifications.order-emails`` runs on a laptop and its e-mails can be opened in any
mail client. A mail server's pickup directory works the same way: the server sends
what appears there.
"""

import asyncio
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTPUTF8
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9@._-]")


# --8<-- [start:pickup-directory]
@dataclass(frozen=True)
class PickupDirectoryMailer:
    """Implements :class:`~notifications.application.interfaces.mailer.Mailer` with files.

    Attributes:
        directory: Where the files go; made when the first e-mail is written.
    """

    directory: Path

    async def send(self, message: EmailMessage) -> None:
        """Write ``message`` to ``<Message-ID>.eml``, replacing a file of the same id.

        Written under a temporary name and then renamed, so a reader never sees half a
        file; the same e-mail sent twice is the same file.
        """
        await asyncio.to_thread(self._write, message)

    def _write(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = _UNSAFE.sub("_", str(message["Message-ID"]).strip("<>"))
        target = self.directory / f"{name}.eml"
        partial = target.with_suffix(".partial")
        # UTF-8 headers as they are (RFC 6532): an address may be internationalised.
        partial.write_bytes(message.as_bytes(policy=SMTPUTF8))
        partial.replace(target)


# --8<-- [end:pickup-directory]
