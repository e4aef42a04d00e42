"""The database's readiness check: can a connection be had, and does it answer?"""

from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


# --8<-- [start:database-check]
def database_check(engine: AsyncEngine) -> Callable[[], Awaitable[None]]:
    """Return a readiness check that runs ``SELECT 1`` on a connection from ``engine``'s pool."""

    async def check() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return check


# --8<-- [end:database-check]
