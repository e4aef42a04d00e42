"""Creating and upgrading a schema with Alembic migrations, run from code.

A deployable's migrations live in a ``migrations/`` folder inside its package and ship
in its wheel, so an installed service creates its own schema (``db upgrade``) with no
checkout and no ``alembic.ini``. The folder's ``env.py`` takes the connection it is
handed rather than opening one of its own.
"""

from dataclasses import dataclass
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass(frozen=True)
class Revision:
    """One migration: its revision id and the first line of its docstring."""

    id: str
    summary: str


@dataclass(frozen=True)
class SchemaUpgrade:
    """What an upgrade did.

    Attributes:
        before: The revision the database was at; ``None`` for an empty database.
        after: The revision it is at now, the newest.
        applied: The migrations applied, oldest first; none when it was current.
    """

    before: str | None
    after: str | None
    applied: tuple[Revision, ...]


# --8<-- [start:migrations]
class Migrations:
    """The migrations in one folder, run on a connection they are handed."""

    def __init__(self, script_location: Path) -> None:
        self.script_location = script_location

    def config(self, connection: Connection) -> Config:
        """Configure Alembic to run these migrations on ``connection``."""
        config = Config()
        config.set_main_option("script_location", str(self.script_location))
        config.set_main_option("path_separator", "os")
        # env.py takes the connection from here rather than opening one of its own.
        config.attributes["connection"] = connection
        return config

    async def upgrade(self, engine: AsyncEngine) -> SchemaUpgrade:
        """Apply every migration not yet applied, in one transaction; say which.

        Running it again changes nothing, so a deployment runs it before every start.
        """

        def upgrade(connection: Connection) -> SchemaUpgrade:
            config = self.config(connection)
            before = MigrationContext.configure(connection).get_current_revision()
            command.upgrade(config, "head")
            after = MigrationContext.configure(connection).get_current_revision()
            scripts = ScriptDirectory.from_config(config).iterate_revisions(after, before)
            applied = [Revision(s.revision, s.doc) for s in scripts]  # newest first
            return SchemaUpgrade(before, after, tuple(reversed(applied)))

        # Alembic is synchronous; run_sync hands it the async connection's sync face.
        async with engine.begin() as connection:
            return await connection.run_sync(upgrade)


# --8<-- [end:migrations]


# --8<-- [start:run-migrations]
def run_migrations(target_metadata: MetaData) -> None:
    """Run the pending migrations; what a migrations folder's ``env.py`` calls.

    Only on the connection :meth:`Migrations.upgrade` hands in: there is no offline
    mode that writes SQL scripts.
    """
    context.configure(
        connection=context.config.attributes["connection"], target_metadata=target_metadata
    )
    with context.begin_transaction():
        context.run_migrations()


# --8<-- [end:run-migrations]
