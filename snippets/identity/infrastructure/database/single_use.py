"""Marking a token used, once, whatever else runs at the same time."""

from datetime import datetime

from sqlalchemy import Table, update
from sqlalchemy.ext.asyncio import AsyncEngine


# --8<-- [start:use-once]
async def use_once(engine: AsyncEngine, tokens: Table, selector: str, now: datetime) -> bool:
    """Set the token's ``used_at`` if it is still empty; whether this call was the one.

    One ``UPDATE`` with the condition in its ``WHERE``: the database applies it once, so
    of two requests that present the same token at the same moment, one changes the row
    and the other changes nothing, on PostgreSQL and SQLite alike. A transaction of its
    own, after the read: no read lock ever waits to become a write lock.
    """
    async with engine.begin() as connection:
        used = await connection.execute(
            update(tokens)
            .where(tokens.c.selector == selector)
            .where(tokens.c.used_at.is_(None))
            .values(used_at=now)
        )
    return used.rowcount == 1


# --8<-- [end:use-once]
