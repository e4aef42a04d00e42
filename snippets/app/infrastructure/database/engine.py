"""The database engine: one per process, with its connection pool."""

from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.settings import Settings
from infrastructure_kernel.database.timeouts import timeout_arguments


# --8<-- [start:create-engine]
def create_engine(settings: Settings) -> AsyncEngine:
    """Create the engine for ``settings.database_url``.

    SQLite (through aiosqlite) is a file opened in-process: there is no server to pool
    connections to, and its pools take no size. A server database (PostgreSQL through
    asyncpg) gets a bounded pool, and a ping before each checkout so that connections
    the server dropped are replaced instead of failing a request. Both get the
    settings' timeouts.
    """
    url = make_url(settings.database_url.get_secret_value())
    timeouts = timeout_arguments(
        url,
        connect_timeout=settings.database_connect_timeout,
        statement_timeout=settings.database_statement_timeout,
    )
    if url.get_backend_name() == "sqlite":
        return create_async_engine(url, connect_args=timeouts, hide_parameters=True)
    return create_async_engine(
        url,
        connect_args=timeouts,
        hide_parameters=True,  # errors name no values of a failed statement: none in logs
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout,
        pool_pre_ping=True,
    )


# --8<-- [end:create-engine]
