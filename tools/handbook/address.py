"""Where ``nox -s serve`` listens, and whether it can: refused at once, in one line.

The address comes from ``HANDBOOK_ADDRESS`` (``HOST:PORT``, by default
``127.0.0.1:8000``). :func:`refusal` tries it before anything is installed or built, so a
busy port costs the reader a second, not a site build, and the one line it returns names
the way out: another address, one that is free right now. Only the standard library is
used here: the noxfile calls this before the session's environment exists.
"""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass

VARIABLE = "HANDBOOK_ADDRESS"
"""The environment variable that chooses the address."""
DEFAULT = "127.0.0.1:8000"
TRIED_PORTS = 20
"""How many ports after a busy one are tried for a free one to suggest."""


@dataclass(frozen=True)
class Address:
    """A host and a TCP port to listen on."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> Address:
        """Read ``HOST:PORT`` (an IPv6 host in brackets: ``[::1]:8000``).

        Raises:
            ValueError: ``text`` is no such address; the message says what is expected.
        """
        host, separator, port = text.rpartition(":")
        host = host.removeprefix("[").removesuffix("]")
        if not separator or not host or not port.isdigit() or not 0 < int(port) < 2**16:
            raise ValueError(f"{VARIABLE}={text!r} is not HOST:PORT, such as {DEFAULT}")
        return cls(host, int(port))

    def __str__(self) -> str:
        """``HOST:PORT``, as :meth:`parse` reads it."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The site's URL at this address."""
        return f"http://{self}/"


def bind_error(address: Address) -> OSError | None:
    """Try to listen at ``address`` the way MkDocs' server will; the error, if it cannot.

    The socket is closed at once; it reuses addresses as MkDocs' server does, so a port
    whose last connections are still closing counts as free, and one that something
    listens on counts as busy.
    """
    try:
        family = socket.AF_INET6 if ":" in address.host else socket.AF_INET
        with socket.create_server((address.host, address.port), family=family):
            return None
    except OSError as error:
        return error


def refusal(text: str, command: str = "./noxw -s serve") -> str | None:
    """Why the site cannot be served at ``text``, in one line; None when it can.

    Args:
        text: The address, ``HOST:PORT``.
        command: The command the reader runs, for the line that shows how to run it
            at another address.
    """
    try:
        address = Address.parse(text)
    except ValueError as malformed:
        return str(malformed)
    error = bind_error(address)
    if error is None:
        return None
    if error.errno != errno.EADDRINUSE:
        # The system's words, without what create_server adds to them.
        reason = (error.strerror or str(error)).split(" (while attempting", 1)[0]
        return f"cannot serve at {address}: {reason}; choose another with {VARIABLE}"
    free = next(
        (
            str(candidate)
            for port in range(address.port + 1, min(address.port + 1 + TRIED_PORTS, 2**16))
            if bind_error(candidate := Address(address.host, port)) is None
        ),
        "HOST:PORT",
    )
    # The command in backquotes: nox ends the line with a full stop, which is no part of it.
    return f"{address} is already in use; to serve elsewhere, run `{VARIABLE}={free} {command}`"
