"""A pooled connection for reads: each statement on its own, no ``BEGIN``, no ``ROLLBACK``.

A query object reads committed rows and changes nothing. In a transaction of its own it
would pay two round trips more on PostgreSQL, ``BEGIN`` before its statements and
``ROLLBACK`` when the connection goes back to the pool, and gain nothing at PostgreSQL's
``READ COMMITTED``, where every statement sees what was committed when it began whether
or not a transaction encloses it (ADR 71).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


# --8<-- [start:read-connection]
@asynccontextmanager
async def read_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """Lend a connection of ``engine``'s pool in autocommit, for reads only.

    Setting the isolation level costs no round trip (the driver only notes it), and the
    pool sets the connection back to the engine's level when it returns, so the next
    borrower, a unit of work, gets its transaction as before.
    """
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


# --8<-- [end:read-connection]
