"""The database engine: one per process, with its connection pool."""

from sqlalchemy import event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from infrastructure_kernel.database.timeouts import timeout_arguments
from shop.settings import Settings


# --8<-- [start:create-engine]
def create_engine(settings: Settings) -> AsyncEngine:
    """Create the engine for ``settings.database_url``.

    SQLite (through aiosqlite) is a file opened in-process: there is no server to pool
    connections to, so the pool settings are not applied and SQLAlchemy's own default
    stands. A server database (PostgreSQL through asyncpg) gets the bounded pool the
    settings describe. Both get the settings' timeouts.
    """
    url = make_url(settings.database_url.get_secret_value())
    timeouts = timeout_arguments(
        url,
        connect_timeout=settings.database_connect_timeout,
        statement_timeout=settings.database_statement_timeout,
    )
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args=timeouts, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _enforce_foreign_keys)
        return engine
    # --8<-- [start:pool]
    return create_async_engine(
        url,
        connect_args=timeouts,
        hide_parameters=True,  # a failed statement's error names no values: no data in logs
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout,
        # Servers and firewalls drop idle connections; recycling old ones and pinging
        # before each checkout replaces them instead of failing a request.
        pool_recycle=settings.database_pool_recycle,
        pool_pre_ping=settings.database_pool_pre_ping,
    )
    # --8<-- [end:pool]


def _enforce_foreign_keys(connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # SQLite ignores foreign keys unless each connection asks for them; without this,
    # a test on SQLite would accept rows that PostgreSQL refuses.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# --8<-- [end:create-engine]
