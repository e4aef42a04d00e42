"""Alembic's environment: runs the migrations on the connection it is handed.

Migrations run only through :func:`shop.infrastructure.database.schema.upgrade_schema`,
which passes an open connection in ``config.attributes``; there is no offline mode that
writes SQL scripts.
"""

from alembic import context

from shop.infrastructure.database.metadata import metadata

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=metadata,
)
with context.begin_transaction():
    context.run_migrations()
