"""``db upgrade``: the schema command of every deployable, and what it says it did."""

from collections.abc import Callable

import click

from infrastructure_kernel.database.migrations import SchemaUpgrade


# --8<-- [start:db-group]
def db_group(upgrade_schema: Callable[[], SchemaUpgrade]) -> click.Group:
    """Return the ``db`` group, whose ``upgrade`` runs ``upgrade_schema`` and reports it.

    Args:
        upgrade_schema: Applies the deployable's pending migrations, on services made
            for the command, and returns what it did.
    """

    @click.group()
    def db() -> None:
        """Manage the database schema."""

    @db.command()
    def upgrade() -> None:
        """Create or upgrade the schema by applying the migrations; safe to repeat."""
        echo_schema_upgrade(upgrade_schema())

    return db


def echo_schema_upgrade(upgrade: SchemaUpgrade) -> None:
    """Say what an upgrade did: created the schema, upgraded it, or found it current."""
    if not upgrade.applied:
        click.echo(f"The schema is at revision {upgrade.after} already; nothing to apply.")
        return
    if upgrade.before is None:
        click.echo(f"Created the schema at revision {upgrade.after}, applying:")
    else:
        click.echo(f"Upgraded the schema from revision {upgrade.before} to {upgrade.after}:")
    for revision in upgrade.applied:
        click.echo(f"  {revision.id}  {revision.summary}")


# --8<-- [end:db-group]
