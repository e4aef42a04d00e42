"""A fresh, migrated database for every test: SQLite always, and the server in
``DATABASE_URL`` too when it is set.

A server test gets a schema of its own (created before, dropped after), so tests never
see each other's rows and can share a database with other users. When ``DATABASE_URL``
is set but the server cannot be reached, the tests fail; they never skip.
"""

import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import SecretStr
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.bootstrap import Services
from app.infrastructure.database.engine import create_engine
from app.infrastructure.database.schema import MIGRATIONS
from app.settings import Settings
from shared_kernel.clock import FixedClock

SERVER_URL = os.environ.get("DATABASE_URL", "")
BACKENDS = ["sqlite"]
if SERVER_URL and make_url(SERVER_URL).get_backend_name() != "sqlite":
    BACKENDS.append(make_url(SERVER_URL).get_backend_name())


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'customers.db'}"


@asynccontextmanager
async def engine_in_fresh_server_schema() -> AsyncIterator[AsyncEngine]:
    schema = f"test_{uuid4().hex}"
    admin = create_async_engine(SERVER_URL)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # Every connection of this engine finds the tables of this test's schema first.
    engine = create_async_engine(
        SERVER_URL, connect_args={"server_settings": {"search_path": schema}}
    )
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture(params=BACKENDS)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database with the schema migrated to the newest version."""
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            engine = create_engine(Settings(database_url=SecretStr(sqlite_url(tmp_path))))
            stack.push_async_callback(engine.dispose)
        else:
            engine = await stack.enter_async_context(engine_in_fresh_server_schema())
        await MIGRATIONS.upgrade(engine)
        yield engine


@pytest.fixture
def settings() -> Settings:
    # The engine comes from the fixture above; the URL here is never used.
    return Settings(_env_file=None, database_url=SecretStr("sqlite+aiosqlite:///:memory:"))


@pytest.fixture
def services(engine: AsyncEngine, settings: Settings) -> Services:
    clock = FixedClock(datetime(2025, 3, 14, 9, 26, tzinfo=UTC))
    return Services(settings=settings, engine=engine, clock=clock)
