"""Alembic's environment: the migrations run on the connection they are handed."""

from app.infrastructure.database.tables import metadata
from infrastructure_kernel.database.migrations import run_migrations

run_migrations(metadata)
