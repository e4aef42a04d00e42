"""Audit: every domain event of every context, in a per-tenant, hash-chained log.

A bounded context of the ``shop`` example, in the house layout (see the style guide).
It learns about the other contexts only from their events as they travel (the
``audit.trail`` consumer appends each one to its tenant's chain), never from their
code or their tables. ``shop audit verify`` recomputes the chains, and
``GET /api/v1/audit-entries`` pages through the request's tenant's.
"""
