"""Alembic's environment: the migrations run on the connection they are handed."""

from infrastructure_kernel.database.migrations import run_migrations
from shop.infrastructure.database.metadata import metadata

run_migrations(metadata)
