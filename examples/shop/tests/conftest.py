"""Fixtures of every suite: the async backend, and a fresh database for each test.

Database tests run on SQLite always, and on the server in ``DATABASE_URL`` too when it is
set. Every test gets a database no other test sees: a new SQLite file, or on the server a
schema of its own (for an engine) or a database of its own (for a URL that a command-line
process connects to), dropped afterwards. When ``DATABASE_URL`` is set but the server
cannot be reached, the tests fail; they never skip.

A migrated SQLite database is a copy of one file that the migrations wrote once per
session: copying it takes milliseconds, migrating a tenth of a second. On the server each
test's schema is migrated: ``CREATE DATABASE ... TEMPLATE`` measured slower there than
the migrations. The schema tests migrate from empty (``empty_engine``) on both.
"""

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import SecretStr
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shop.database.engine import create_engine
from shop.database.schema import upgrade_schema
from shop.settings import Settings

SERVER_URL = os.environ.get("DATABASE_URL", "")
BACKENDS = ["sqlite"]
if SERVER_URL and make_url(SERVER_URL).get_backend_name() != "sqlite":
    BACKENDS.append(make_url(SERVER_URL).get_backend_name())


# A commit returns before the server has flushed it to disk: a test's data need not survive
# a crash of the server, and every schema a test creates, migrates and drops would
# otherwise wait for the disk several times. What other sessions see is unchanged.
FAST_COMMITS = {"synchronous_commit": "off"}


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio, the loop the shop runs on."""
    return "asyncio"


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'shop.db'}"


async def run_on_server(statement: str) -> None:
    # AUTOCOMMIT: CREATE DATABASE refuses to run inside a transaction.
    admin = create_async_engine(
        SERVER_URL, isolation_level="AUTOCOMMIT", connect_args={"server_settings": FAST_COMMITS}
    )
    try:
        async with admin.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await admin.dispose()


@asynccontextmanager
async def engine_in_fresh_server_schema() -> AsyncIterator[AsyncEngine]:
    schema = f"test_{uuid4().hex}"
    await run_on_server(f'CREATE SCHEMA "{schema}"')
    # Every connection of this engine finds the tables of this test's schema first.
    engine = create_async_engine(
        SERVER_URL, connect_args={"server_settings": {"search_path": schema, **FAST_COMMITS}}
    )
    try:
        yield engine
    finally:
        await engine.dispose()
        await run_on_server(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
async def empty_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database of its own."""
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            engine = create_engine(Settings(database_url=SecretStr(sqlite_url(tmp_path))))
            stack.push_async_callback(engine.dispose)
        else:
            engine = await stack.enter_async_context(engine_in_fresh_server_schema())
        yield engine


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated to the newest schema, once per session, to be copied."""
    directory = tmp_path_factory.mktemp("migrated")

    async def migrate() -> None:
        engine = create_engine(Settings(database_url=SecretStr(sqlite_url(directory))))
        try:
            await upgrade_schema(engine)
        finally:
            await engine.dispose()

    asyncio.run(migrate())
    return directory / "shop.db"


@pytest.fixture(params=BACKENDS)
async def engine(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite_file: Path
) -> AsyncIterator[AsyncEngine]:
    """An engine on a database of its own, migrated to the newest schema."""
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            shutil.copyfile(migrated_sqlite_file, tmp_path / migrated_sqlite_file.name)
            engine = create_engine(Settings(database_url=SecretStr(sqlite_url(tmp_path))))
            stack.push_async_callback(engine.dispose)
        else:
            engine = await stack.enter_async_context(engine_in_fresh_server_schema())
            await upgrade_schema(engine)
        yield engine


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of its own, for code that connects by itself.

    Synchronous, for synchronous tests such as the command line's, which run event
    loops of their own.
    """
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    name = f"test_{uuid4().hex}"
    asyncio.run(run_on_server(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(run_on_server(f'DROP DATABASE "{name}" WITH (FORCE)'))
