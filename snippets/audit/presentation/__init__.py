"""Audit's drivers: ``GET /api/v1/audit-entries`` (``api``) and ``shop audit`` (``cli``).

The endpoint reaches its query object through the port in
:mod:`audit.presentation.api.dependencies`, on the same two promises of the platform as
every context's (see :mod:`catalog.presentation`); the command group through the
command runner the deployable leaves on Click's context object.
"""
