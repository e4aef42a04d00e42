"""Migration 0002 creates the catalog's table, named as the schema's convention names it."""

from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.infrastructure.database import tables
from shop.infrastructure.database.metadata import metadata
from shop.infrastructure.database.schema import MIGRATIONS

pytestmark = pytest.mark.anyio


def products_table(connection: Connection) -> dict[str, Any]:
    inspector = inspect(connection)
    if "products" not in inspector.get_table_names():
        return {}
    return {
        "columns": [column["name"] for column in inspector.get_columns("products")],
        "primary_key": inspector.get_pk_constraint("products"),
        "unique": inspector.get_unique_constraints("products"),
        "foreign_keys": [key["name"] for key in inspector.get_foreign_keys("products")],
    }


async def migrate(engine: AsyncEngine, direction: str, revision: str) -> None:
    def run(connection: Connection) -> None:
        getattr(command, direction)(MIGRATIONS.config(connection), revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def test_the_products_table_has_the_conventions_constraint_names(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        table = await connection.run_sync(products_table)

    assert table["columns"] == [column.name for column in tables.products.columns]
    primary_key = table["primary_key"]
    assert (primary_key["name"], primary_key["constrained_columns"]) == (
        "pk_products",
        ["tenant_id", "product_id"],
    )
    assert [(u["name"], u["column_names"]) for u in table["unique"]] == [
        ("uq_products_tenant_id_sku", ["tenant_id", "sku"])
    ]
    assert table["foreign_keys"] == ["fk_products_tenant_id_tenants"]


async def test_downgrading_to_0001_drops_only_the_products(empty_engine: AsyncEngine) -> None:
    await MIGRATIONS.upgrade(empty_engine)
    await migrate(empty_engine, "downgrade", "0001")
    async with empty_engine.connect() as connection:
        assert await connection.run_sync(products_table) == {}
        assert "tenants" in await connection.run_sync(lambda c: inspect(c).get_table_names())

    await migrate(empty_engine, "upgrade", "0002")

    async with empty_engine.connect() as connection:
        assert (await connection.run_sync(products_table))["columns"][0] == "tenant_id"


def test_the_schema_holds_a_named_copy_of_the_catalogs_table() -> None:
    copy = metadata.tables["products"]

    assert copy is not tables.products
    assert copy.primary_key.name == "pk_products"
    assert tables.products.primary_key.name is None  # the catalog's own stays unnamed
