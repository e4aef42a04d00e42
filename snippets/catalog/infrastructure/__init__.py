"""The catalog's adapters: SQLAlchemy Core under ``database``.

They implement the ports of :mod:`catalog.application` for SQLite and PostgreSQL alike.
Nothing here imports the platform: the composition root hands the unit of work the
outbox writer and copies :data:`~catalog.infrastructure.database.tables.metadata` into
the one schema that the migrations create.
"""
