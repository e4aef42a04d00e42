"""The Alembic migrations build exactly the schema the tables describe, both ways."""

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Connection, ForeignKey, Integer, MetaData, String, Table, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from shop.infrastructure.database.metadata import combine, metadata
from shop.infrastructure.database.schema import MIGRATIONS
from shop.infrastructure.database.tables import platform_metadata
from tenancy.infrastructure.database import tables as tenancy_tables

pytestmark = pytest.mark.anyio

# Tenancy's table, which every other refers to, and the platform's.
PLATFORM_TABLES = {"tenants", "outbox", "messages", "inbox", "idempotency_keys"}


def differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def constraint_names(connection: Connection) -> set[str | None]:
    inspector = inspect(connection)
    names: set[str | None] = set()
    for table in PLATFORM_TABLES:
        names.add(inspector.get_pk_constraint(table)["name"])
        names.update(key["name"] for key in inspector.get_foreign_keys(table))
    return names


async def downgrade_to_base(engine: AsyncEngine) -> None:
    def downgrade(connection: Connection) -> None:
        command.downgrade(MIGRATIONS.config(connection), "base")

    async with engine.begin() as connection:
        await connection.run_sync(downgrade)


async def test_the_migrated_schema_matches_the_table_definitions(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_the_migrations_name_constraints_as_the_convention_does(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(constraint_names) == {
            "pk_tenants",
            "pk_outbox",
            "pk_messages",
            "pk_inbox",
            "pk_idempotency_keys",
            "fk_outbox_tenant_id_tenants",
            "fk_idempotency_keys_tenant_id_tenants",
        }


async def test_upgrading_again_changes_nothing(engine: AsyncEngine) -> None:
    await MIGRATIONS.upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(table_names) == {"alembic_version", *metadata.tables}


async def test_upgrade_downgrade_upgrade_round_trip(empty_engine: AsyncEngine) -> None:
    await MIGRATIONS.upgrade(empty_engine)
    await downgrade_to_base(empty_engine)
    async with empty_engine.connect() as connection:
        assert await connection.run_sync(table_names) == {"alembic_version"}

    await MIGRATIONS.upgrade(empty_engine)

    async with empty_engine.connect() as connection:
        assert await connection.run_sync(table_names) == {"alembic_version", *metadata.tables}
        assert await connection.run_sync(differences) == []


def test_the_schema_holds_copies_of_the_platform_tables() -> None:
    # The contexts' tables join them; each context's tests check its own.
    assert set(metadata.tables) >= PLATFORM_TABLES
    assert metadata.tables["outbox"] is not platform_metadata.tables["outbox"]
    assert metadata.tables["tenants"] is not tenancy_tables.tenants
    assert metadata.tables["tenants"].primary_key.name == "pk_tenants"


def test_a_context_joins_with_its_own_metadata_and_gets_the_names() -> None:
    catalog = MetaData()
    products = Table(
        "products",
        catalog,
        Column("tenant_id", String(63), ForeignKey("tenants.tenant_id"), primary_key=True),
        Column("product_id", Integer, primary_key=True),
        Column("sku", String(32), nullable=False, unique=True),
    )

    schema = combine(tenancy_tables.metadata, platform_metadata, catalog)

    copy = schema.tables["products"]
    assert set(schema.tables) == {*PLATFORM_TABLES, "products"}
    assert copy.primary_key.name == "pk_products"
    [foreign_key] = copy.foreign_key_constraints
    assert foreign_key.name == "fk_products_tenant_id_tenants"
    assert foreign_key.referred_table is schema.tables["tenants"]
    assert "uq_products_sku" in {c.name for c in copy.constraints}
    # The context's own table, the one its statements use, is left as it was.
    assert products.primary_key.name is None
    # Created before every table that refers to it.
    order = [table.name for table in schema.sorted_tables]
    assert order.index("tenants") < min(order.index("outbox"), order.index("products"))
