"""Settings come from the environment; the engine and its pool are configured from them."""

import asyncio
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import SecretStr, ValidationError
from sqlalchemy import QueuePool, insert, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.database.column_types import UtcDateTime
from infrastructure_kernel.database.outages import is_outage
from shop.infrastructure.database.engine import create_engine
from shop.infrastructure.database.tables import outbox
from shop.settings import Settings

pytestmark = pytest.mark.anyio

SETTINGS_VARIABLES = [
    "DATABASE_URL",
    "DATABASE_POOL_SIZE",
    "DATABASE_MAX_OVERFLOW",
    "DATABASE_POOL_TIMEOUT",
    "DATABASE_POOL_RECYCLE",
    "DATABASE_POOL_PRE_PING",
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT",
    "MAX_REQUEST_BODY_SIZE",
    "LOG_LEVEL",
]


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.usefixtures("clean_environment")
def test_the_defaults_run_on_a_laptop() -> None:
    settings = Settings(_env_file=None)

    assert settings.database_url.get_secret_value() == "sqlite+aiosqlite:///./shop.db"
    assert (settings.database_pool_size, settings.database_max_overflow) == (5, 10)
    assert (settings.database_pool_timeout, settings.database_pool_recycle) == (2.0, 1800)
    assert settings.database_pool_pre_ping is True
    assert (settings.database_connect_timeout, settings.database_statement_timeout) == (5.0, 5.0)
    assert settings.max_request_body_size == 64 * 1024
    assert settings.log_level == "INFO"


def test_settings_read_the_environment_and_hide_the_url(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    clean_environment.setenv("DATABASE_URL", "postgresql+asyncpg://shop:s3cret@db/shop")
    clean_environment.setenv("DATABASE_POOL_SIZE", "12")
    clean_environment.setenv("DATABASE_POOL_PRE_PING", "false")
    clean_environment.setenv("MAX_REQUEST_BODY_SIZE", "1000")
    clean_environment.setenv("LOG_LEVEL", "DEBUG")

    settings = Settings(_env_file=None)

    assert settings.database_url.get_secret_value().endswith("@db/shop")
    assert (settings.database_pool_size, settings.database_pool_pre_ping) == (12, False)
    assert (settings.max_request_body_size, settings.log_level) == (1000, "DEBUG")
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LOG_LEVEL", "LOUD"),
        ("DATABASE_POOL_SIZE", "0"),
        ("MAX_REQUEST_BODY_SIZE", "-1"),
        ("DATABASE_STATEMENT_TIMEOUT", "0"),
    ],
)
def test_a_wrong_value_stops_the_shop_at_start_up(
    clean_environment: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    clean_environment.setenv(variable, value)
    with pytest.raises(ValidationError, match=variable.lower()):
        Settings(_env_file=None)


async def test_a_server_engine_gets_the_configured_pool() -> None:
    engine = create_engine(
        Settings(
            database_url=SecretStr("postgresql+asyncpg://shop@db/shop"),
            database_pool_size=3,
            database_max_overflow=2,
            database_pool_timeout=4.5,
            database_pool_recycle=600,
            database_pool_pre_ping=False,
        )
    )
    try:
        # Nothing connects yet: creating an engine only configures its pool.
        assert engine.dialect.name == "postgresql"
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        assert (pool.size(), pool.timeout(), pool.overflow()) == (3, 4.5, -3)
        # No public accessors for these two; the attributes are the pool's own.
        assert (pool._recycle, pool._pre_ping) == (600, False)
    finally:
        await engine.dispose()


async def test_sqlite_ignores_the_pool_settings(tmp_path: Path) -> None:
    # A pool of one connection with no overflow would make the second connect wait
    # and time out; SQLite's engine has no such pool, so both connect at once.
    engine = create_engine(
        Settings(
            database_url=SecretStr(f"sqlite+aiosqlite:///{tmp_path}/pool.db"),
            database_pool_size=1,
            database_max_overflow=0,
            database_pool_timeout=0.1,
        )
    )
    try:
        async with engine.connect(), engine.connect():
            await asyncio.sleep(0.2)
    finally:
        await engine.dispose()


def test_a_statement_that_waits_too_long_is_cut_off_as_an_outage(database_url: str) -> None:
    async def run_too_long() -> BaseException:
        settings = Settings(database_url=SecretStr(database_url), database_statement_timeout=0.3)
        engine = create_engine(settings)
        try:
            async with engine.connect() as holder, engine.connect() as waiter:
                if engine.dialect.name == "sqlite":
                    # SQLite runs in-process: a statement waits only for another's lock.
                    await holder.execute(text("BEGIN IMMEDIATE"))
                    slow = "BEGIN IMMEDIATE"
                else:
                    slow = "SELECT pg_sleep(10)"
                with pytest.raises(DBAPIError) as raised:
                    await waiter.execute(text(slow))
                return raised.value
        finally:
            await engine.dispose()

    started = time.monotonic()
    error = asyncio.run(run_too_long())

    assert time.monotonic() - started < 5
    assert is_outage(error)


async def test_every_database_enforces_foreign_keys(engine: AsyncEngine) -> None:
    event = {
        "event_id": uuid4(),
        "tenant_id": "nobody",
        "event_name": "Something",
        "occurred_at": datetime(2025, 1, 1, tzinfo=UTC),
        "payload": "{}",
    }
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(insert(outbox).values(event))


def test_utc_datetime_stores_utc_and_returns_aware_utc() -> None:
    column_type = UtcDateTime()
    dialect = sqlite.dialect()
    noon_in_berlin = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))

    stored = column_type.process_bind_param(noon_in_berlin, dialect)
    naive_from_sqlite = column_type.process_result_value(datetime(2025, 6, 1, 10, 0), dialect)
    aware_from_server = column_type.process_result_value(noon_in_berlin, dialect)

    assert stored == datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
    assert naive_from_sqlite == datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
    assert aware_from_server is noon_in_berlin
    assert column_type.process_bind_param(None, dialect) is None
    assert column_type.process_result_value(None, dialect) is None
