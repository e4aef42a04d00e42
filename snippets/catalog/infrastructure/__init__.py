"""The catalog's adapters on SQLAlchemy Core: tables, repository, unit of work, queries.

They implement the ports of :mod:`catalog.application` for SQLite and PostgreSQL alike.
Nothing here imports the platform: the composition root hands the unit of work the
outbox writer and copies :data:`~catalog.infrastructure.tables.metadata` into the one
schema that the migrations create.
"""
