"""Tenancy's drivers: the ``X-Tenant-ID`` resolution and ``/tenant``, and ``shop tenants``.

Both reach the tenant directory through
:class:`~tenancy.presentation.api.dependencies.TenancyServices`, the port the serving
application implements.
"""
