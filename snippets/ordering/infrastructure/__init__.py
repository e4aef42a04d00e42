"""Ordering's adapters: SQLAlchemy Core under ``database``, the catalog under ``external``.

Everything here implements a port of ``ordering.application`` or ``ordering.domain``:
``database`` for SQLite and PostgreSQL alike, and ``external.product_catalog`` the
``ProductCatalog`` port by calling the catalog context's published use case, the one
place where ordering reaches the catalog.
"""
