"""How long a connection and a statement may take, as the database driver's arguments.

Without them, a request waits as long as the database does: for ever when the server is
frozen or a packet is lost, and for as long as the slowest query runs. With them, the
wait ends with an error, which the API answers with a 503 problem and ``Retry-After``
(:mod:`infrastructure_kernel.database.outages`).
"""

from typing import Any

from sqlalchemy import URL


# --8<-- [start:timeouts]
def timeout_arguments(
    url: URL, *, connect_timeout: float, statement_timeout: float
) -> dict[str, Any]:
    """Return the ``connect_args`` that bound the waits on the database at ``url``.

    Args:
        url: The database's URL; its driver decides the arguments' names.
        connect_timeout: Seconds a new connection may take to be established.
        statement_timeout: Seconds a statement may run, or wait for a lock.
    """
    if url.get_backend_name() == "sqlite":
        # No server to connect to: the one wait is for another connection's lock.
        return {"timeout": statement_timeout}
    return {
        "timeout": connect_timeout,
        # Twice, on purpose: the server cancels a statement that runs too long and
        # frees what it holds; the client stops waiting for a server that does not
        # answer at all (frozen, or a network that drops packets).
        "server_settings": {"statement_timeout": str(round(statement_timeout * 1000))},
        "command_timeout": statement_timeout,
    }


# --8<-- [end:timeouts]
