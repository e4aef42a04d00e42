"""The Alembic migrations build exactly the schema the tables describe."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infrastructure.database.schema import MIGRATIONS
from app.infrastructure.database.tables import metadata

pytestmark = pytest.mark.anyio


def differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_the_migrated_schema_matches_the_table_definitions(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_upgrading_again_changes_nothing(engine: AsyncEngine) -> None:
    await MIGRATIONS.upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(table_names) == {"alembic_version", "customers", "outbox"}


async def test_downgrading_to_base_removes_the_tables(engine: AsyncEngine) -> None:
    def downgrade(connection: Connection) -> None:
        command.downgrade(MIGRATIONS.config(connection), "base")

    async with engine.begin() as connection:
        await connection.run_sync(downgrade)
    async with engine.connect() as connection:
        assert await connection.run_sync(table_names) == {"alembic_version"}
