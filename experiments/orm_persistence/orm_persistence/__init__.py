"""The shop's write side on SQLAlchemy's ORM: the experiment behind ADR 24.

The same aggregates, tables, ports and composition root as the shop, with the
repositories and units of work of ``catalog.infrastructure`` and
``ordering.infrastructure`` replaced by imperative mappings and an ``AsyncSession`` per
unit of work. Nothing in ``snippets/`` changes: :mod:`orm_persistence.bootstrap` builds
the shop's ``Services`` with these units of work instead.
"""
