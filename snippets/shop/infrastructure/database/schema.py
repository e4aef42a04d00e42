"""Creating and upgrading the database schema with Alembic migrations.

The migrations live in ``migrations/`` beside this module and ship inside the wheel, so
an installed shop can create its own schema (``shop db upgrade``) with no checkout and
no ``alembic.ini``.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine


# --8<-- [start:migration-runner]
def alembic_config(connection: Connection) -> Config:
    """Configure Alembic to run this package's migrations on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.set_main_option("path_separator", "os")
    # env.py takes the connection from here rather than opening one of its own.
    config.attributes["connection"] = connection
    return config


async def upgrade_schema(engine: AsyncEngine) -> None:
    """Apply every migration not yet applied; running it again changes nothing."""

    def upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), "head")

    # Alembic is synchronous; run_sync hands it the async connection's sync face.
    async with engine.begin() as connection:
        await connection.run_sync(upgrade)


# --8<-- [end:migration-runner]
