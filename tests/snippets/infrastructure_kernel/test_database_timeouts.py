"""The database kernel's timeouts and outage errors, on a real SQLite file."""

import time
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from infrastructure_kernel.database.outages import is_outage
from infrastructure_kernel.database.timeouts import timeout_arguments

pytestmark = pytest.mark.anyio


def test_postgresql_bounds_the_connection_and_each_statement_on_both_sides() -> None:
    url = make_url("postgresql+asyncpg://shop@db/shop")

    arguments = timeout_arguments(url, connect_timeout=3, statement_timeout=1.5)

    assert arguments == {
        "timeout": 3,
        "server_settings": {"statement_timeout": "1500"},
        "command_timeout": 1.5,
    }


def test_sqlite_bounds_the_wait_for_a_lock() -> None:
    url = make_url("sqlite+aiosqlite:///shop.db")

    assert timeout_arguments(url, connect_timeout=3, statement_timeout=1.5) == {"timeout": 1.5}


async def test_a_write_that_waits_for_a_lock_too_long_fails_as_an_outage(tmp_path: Path) -> None:
    url = make_url(f"sqlite+aiosqlite:///{tmp_path / 'locked.db'}")
    arguments = timeout_arguments(url, connect_timeout=1, statement_timeout=0.2)
    engine = create_async_engine(url, connect_args=arguments)
    try:
        async with engine.begin() as holder:
            await holder.execute(text("CREATE TABLE t (x INTEGER)"))
        async with engine.connect() as holder, engine.connect() as waiter:
            await holder.execute(text("BEGIN IMMEDIATE"))  # the write lock, held
            started = time.monotonic()
            with pytest.raises(OperationalError, match="database is locked") as raised:
                await waiter.execute(text("INSERT INTO t VALUES (1)"))
            waited = time.monotonic() - started
            await holder.rollback()
    finally:
        await engine.dispose()

    assert 0.2 <= waited < 2
    assert is_outage(raised.value)
