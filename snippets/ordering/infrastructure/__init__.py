"""Ordering's adapters: tables, repository, unit of work, queries and the catalog adapter.

Everything here implements a port of ``ordering.application`` or ``ordering.domain`` on
SQLAlchemy Core, for SQLite and PostgreSQL alike, except :mod:`.product_catalog`, which
implements the ``ProductCatalog`` port by calling the catalog context's published
lookup: the one place where ordering reaches the catalog.
"""
