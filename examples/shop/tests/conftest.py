"""Fixtures of every suite: the async backend, and a fresh database for each test.

Database tests run on SQLite always, and on the server in ``DATABASE_URL`` too when it is
set. Every test gets a database no other test sees, migrated to the newest schema
(``engine``) or empty (``empty_engine``, ``database_url``). When ``DATABASE_URL`` is set
but the server cannot be reached, the tests fail; they never skip.

The migrations run once per session for ``engine``: on SQLite each test gets a copy of the
file they wrote (a copy takes milliseconds, migrating a tenth of a second); on the server
each test gets the session's migrated schema, whose tables are emptied after it (Alembic's
own table aside), and a test that changed the schema itself fails, so the next test still
finds exactly what the migrations made. The schema tests migrate from empty
(``empty_engine``): a schema of their own on the server, dropped afterwards. A command-line
test gets an empty database (``database_url``): on the server, one database made once per
session, whose ``public`` schema is made again after each test.
"""

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from pydantic import SecretStr
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from shop.infrastructure.database.engine import create_engine
from shop.infrastructure.database.schema import MIGRATIONS
from shop.settings import Settings

# The suites share the machine with each other (nox runs sessions side by side), so the
# time to make an example or to run one says nothing about the code under test: no
# deadline, and no health check that fails a test for generating its data slowly.
hypothesis_settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("shared-machine")

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


def admin_engine(**settings: str) -> AsyncEngine:
    # AUTOCOMMIT: CREATE DATABASE refuses to run inside a transaction.
    return create_async_engine(
        SERVER_URL,
        isolation_level="AUTOCOMMIT",
        connect_args={"server_settings": {**FAST_COMMITS, **settings}},
    )


async def run_on_server(statement: str) -> None:
    admin = admin_engine()
    try:
        async with admin.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await admin.dispose()


def server_engine(schema: str) -> AsyncEngine:
    # Every connection of this engine finds the tables of ``schema`` first.
    return create_async_engine(
        SERVER_URL, connect_args={"server_settings": {"search_path": schema, **FAST_COMMITS}}
    )


@asynccontextmanager
async def engine_in_fresh_server_schema() -> AsyncIterator[AsyncEngine]:
    schema = f"test_{uuid4().hex}"
    await run_on_server(f'CREATE SCHEMA "{schema}"')
    engine = server_engine(schema)
    try:
        yield engine
    finally:
        await engine.dispose()
        await run_on_server(f'DROP SCHEMA "{schema}" CASCADE')


# Everything the migrations made in a schema: columns, constraints, indexes and the
# revision Alembic recorded.
LAYOUT = """
SELECT 'column', c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = CAST(CAST(:schema AS text) AS regnamespace)
    AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint', conname || ' ' || pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = CAST(CAST(:schema AS text) AS regnamespace)
UNION ALL
SELECT 'index', indexdef FROM pg_indexes WHERE schemaname = CAST(:schema AS text)
UNION ALL
SELECT 'revision', version_num FROM "{schema}".alembic_version
ORDER BY 1, 2
"""


async def schema_layout(connection: AsyncConnection, schema: str) -> list[tuple[str, str]]:
    rows = await connection.execute(text(LAYOUT.format(schema=schema)), {"schema": schema})
    return [(kind, detail) for kind, detail in rows]


@dataclass(frozen=True)
class MigratedSchema:
    """A schema on the server that the migrations made, as they left it."""

    name: str
    layout: list[tuple[str, str]]
    tables: list[str]

    async def empty(self) -> None:
        """Empty its tables for the next test; fail if a test changed the schema itself."""
        # A test that left a transaction open would make TRUNCATE wait for ever; the search
        # path is the one the layout was read with, since it decides how names are shown.
        admin = admin_engine(search_path=self.name, lock_timeout="10s")
        try:
            async with admin.connect() as connection:
                layout = await schema_layout(connection, self.name)
                if layout == self.layout:
                    names = ", ".join(f'"{self.name}"."{table}"' for table in self.tables)
                    await connection.execute(text(f"TRUNCATE {names}"))
                    return
                # Made again, so that only the test that changed it fails.
                await connection.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
                await connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
        finally:
            await admin.dispose()
        await migrate(self.name)
        pytest.fail(
            "the test changed the migrated schema: a test that changes it uses empty_engine"
        )


async def migrate(schema: str) -> MigratedSchema:
    """Migrate the empty ``schema`` to the newest revision; read back what that made."""
    engine = server_engine(schema)
    try:
        await MIGRATIONS.upgrade(engine)
        async with engine.connect() as connection:
            layout = await schema_layout(connection, schema)
            tables = await connection.scalars(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = :schema "
                    "AND tablename <> 'alembic_version' ORDER BY tablename"
                ),
                {"schema": schema},
            )
            return MigratedSchema(schema, layout, list(tables))
    finally:
        await engine.dispose()


async def migrate_server_schema() -> MigratedSchema:
    schema = f"test_{uuid4().hex}"
    await run_on_server(f'CREATE SCHEMA "{schema}"')
    try:
        return await migrate(schema)
    except BaseException:
        await run_on_server(f'DROP SCHEMA "{schema}" CASCADE')
        raise


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
            await MIGRATIONS.upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(migrate())
    return directory / "shop.db"


@pytest.fixture(scope="session")
def migrated_server_schema() -> Iterator[MigratedSchema | None]:
    """The server's schema migrated once per session; None when no server is configured."""
    if len(BACKENDS) == 1:
        yield None
        return
    migrated = asyncio.run(migrate_server_schema())
    try:
        yield migrated
    finally:
        asyncio.run(run_on_server(f'DROP SCHEMA "{migrated.name}" CASCADE'))


@pytest.fixture(params=BACKENDS)
async def engine(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    migrated_sqlite_file: Path,
    migrated_server_schema: MigratedSchema | None,
) -> AsyncIterator[AsyncEngine]:
    """An engine on a database of its own, migrated to the newest schema."""
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            shutil.copyfile(migrated_sqlite_file, tmp_path / migrated_sqlite_file.name)
            engine = create_engine(Settings(database_url=SecretStr(sqlite_url(tmp_path))))
        else:
            assert migrated_server_schema is not None, "a server backend without its schema"
            engine = server_engine(migrated_server_schema.name)
            stack.push_async_callback(migrated_server_schema.empty)
        stack.push_async_callback(engine.dispose)  # first: the tables are emptied after it
        yield engine


@pytest.fixture(scope="session")
def server_database() -> Iterator[str | None]:
    """A database on the server for the command-line tests, made once per session.

    Its ``public`` schema is dropped and made again after each test (``database_url``):
    dropping a whole database forces the server to write a checkpoint, a second or more
    each time, while dropping a schema does not.
    """
    if len(BACKENDS) == 1:
        yield None
        return
    name = f"test_{uuid4().hex}"
    asyncio.run(run_on_server(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(run_on_server(f'DROP DATABASE "{name}" WITH (FORCE)'))


async def empty_public_schema(url: str) -> None:
    # A connection the test left open would make DROP wait for ever: fail instead.
    engine = create_async_engine(
        url,
        isolation_level="AUTOCOMMIT",
        connect_args={"server_settings": {**FAST_COMMITS, "lock_timeout": "10s"}},
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, server_database: str | None
) -> Iterator[str]:
    """The URL of an empty database of its own, for code that connects by itself.

    Synchronous, for synchronous tests such as the command line's, which run event
    loops of their own. On the server, the tests take turns on one database, emptied
    after each of them.
    """
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    assert server_database is not None, "a server backend without its database"
    try:
        yield server_database
    finally:
        asyncio.run(empty_public_schema(server_database))
