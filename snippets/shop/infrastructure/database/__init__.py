"""The database: engine and pool, the one schema, its migrations, and platform storage.

How the contexts' tables join the schema (the decision, and why):

- **Each part owns its tables.** A context's infrastructure defines its tables at module
  level on a ``MetaData()`` of its own (``catalog/infrastructure/database/tables.py``:
  ``metadata = MetaData()``, ``products = Table("products", metadata, ...)``) and its
  repositories build statements on those ``Table`` objects. It imports nothing from
  ``shop``, so the contract "no context imports the platform" holds without exceptions,
  and a context could leave for a service of its own with its tables.
- **The platform owns the schema.** :data:`shop.infrastructure.database.metadata.metadata`
  is the one ``MetaData`` of the whole database:
  :func:`~shop.infrastructure.database.metadata.combine` copies the platform's tables and
  every context's into it, and its naming convention names every
  constraint, so the parts leave constraints unnamed and the names agree everywhere.
  There is one migration history, in ``migrations/``, run by
  :data:`~shop.infrastructure.database.schema.MIGRATIONS`.
- **Platform tables are reached through platform code.** The contexts' units of work
  write events to the outbox and remember idempotency keys, but never name those tables:
  the composition root hands them
  :func:`shop.infrastructure.database.outbox.write_events` and
  :class:`shop.infrastructure.database.idempotency.SqlAlchemyIdempotencyStore`.

Rejected: contexts importing a shared ``MetaData`` from ``shop`` (inner code would depend
on the outermost layer, through an import cycle and an exception in the contracts);
passing a ``MetaData`` into a ``define_tables(metadata)`` function of each context (every
repository would then receive its tables, where module-level tables read plainly);
Alembic's list of ``MetaData`` objects (each context would repeat the naming convention).
The price of the choice: each table exists twice in memory, the part's and the schema's
identical copy, and a context's foreign key to ``tenants`` resolves only in the copy.
"""
