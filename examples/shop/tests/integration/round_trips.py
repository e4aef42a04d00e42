"""What a request costs the database: connections, transactions and statements, counted.

The budgets of ``test_round_trip_budgets`` are held with these counts; the persistence page
shows them. SQLAlchemy's events see everything the engine does: the pool's ``checkout``
and ``checkin`` (a connection lent and returned), the connection's ``begin`` (a
transaction) and ``before_cursor_execute`` (a statement sent).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine


# --8<-- [start:round-trips]
@dataclass
class RoundTrips:
    """What an engine did while a block ran.

    Attributes:
        checkouts: Connections taken from the pool.
        most_held: The most connections held at one moment.
        transactions: Transactions begun; a connection in autocommit begins none.
        statements: The SQL of every statement sent, in order.
    """

    checkouts: int = 0
    most_held: int = 0
    transactions: int = 0
    statements: list[str] = field(default_factory=list)
    _held: int = 0

    def checked_out(self, *_: Any) -> None:
        self.checkouts += 1
        self._held += 1
        self.most_held = max(self.most_held, self._held)

    def checked_in(self, *_: Any) -> None:
        self._held -= 1

    def began(self, connection: Connection) -> None:
        # SQLAlchemy begins on every connection it uses; in autocommit the driver sends
        # no BEGIN, and each statement is its own transaction on the server.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            self.transactions += 1

    def sent(self, *args: Any) -> None:
        self.statements.append(args[2])  # (connection, cursor, statement, parameters, ...)


@contextmanager
def counted_round_trips(engine: AsyncEngine) -> Iterator[RoundTrips]:
    """Count what ``engine`` does while the block runs."""
    counts = RoundTrips()
    listeners = [
        ("checkout", counts.checked_out),
        ("checkin", counts.checked_in),
        ("begin", counts.began),
        ("before_cursor_execute", counts.sent),
    ]
    for name, listener in listeners:
        event.listen(engine.sync_engine, name, listener)
    try:
        yield counts
    finally:
        for name, listener in listeners:
            event.remove(engine.sync_engine, name, listener)


# --8<-- [end:round-trips]
