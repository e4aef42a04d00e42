"""Settings come from the environment; the engine is configured from them."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import SecretStr
from sqlalchemy import QueuePool
from sqlalchemy.dialects import sqlite

from app.infrastructure.database.engine import create_engine
from app.settings import Settings
from infrastructure_kernel.database.column_types import UtcDateTime

pytestmark = pytest.mark.anyio


def test_settings_default_to_a_local_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url.get_secret_value() == "sqlite+aiosqlite:///./app.db"


def test_settings_read_the_environment_and_hide_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://app:s3cret@db/customers")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "12")

    settings = Settings(_env_file=None)

    assert settings.database_url.get_secret_value().endswith("@db/customers")
    assert settings.database_pool_size == 12
    assert "s3cret" not in repr(settings)


async def test_a_server_engine_gets_the_configured_pool() -> None:
    engine = create_engine(
        Settings(
            database_url=SecretStr("postgresql+asyncpg://app@db/customers"),
            database_pool_size=3,
            database_max_overflow=2,
            database_pool_timeout=4.5,
        )
    )
    try:
        # Nothing connects yet: creating an engine only configures its pool.
        assert engine.dialect.name == "postgresql"
        assert isinstance(engine.pool, QueuePool)
        assert (engine.pool.size(), engine.pool.timeout()) == (3, 4.5)
    finally:
        await engine.dispose()


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
