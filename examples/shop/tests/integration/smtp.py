"""A real SMTP server in the tests' process: aiosmtpd on a free port, remembering what it got."""

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

REFUSED = "refused@"
"""Recipients whose address starts with this are refused for good (550)."""


@dataclass(frozen=True)
class Received:
    """One e-mail as the server got it: the envelope's addresses and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    """The server's side: what arrived, and how many recipients were refused."""

    received: list[Received] = field(default_factory=list)
    refusals: int = 0

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook names and signature
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        del server, session, rcpt_options
        if address.startswith(REFUSED):
            self.refusals += 1
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        del server, session
        content = cast(bytes, envelope.original_content)
        message = message_from_bytes(content, policy=policy.default)
        self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass(frozen=True)
class SmtpServer:
    """Where the server listens, and its mailbox."""

    host: str
    port: int
    mailbox: Mailbox

    def settings(self) -> dict[str, Any]:
        return {"smtp_host": self.host, "smtp_port": self.port, "smtp_timeout": 5.0}


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """An SMTP server that accepts UTF-8 addresses, in a thread of this process."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=True)
    controller.start()
    try:
        yield SmtpServer(controller.hostname, controller.port, mailbox)
    finally:
        controller.stop()
