"""What the audit endpoint and commands need, and where they find it.

:class:`AuditServices` is audit's port on the application that serves it; the
dependency reads the platform's two promises (see :mod:`audit.presentation`) with the
infrastructure kernel's checked accessors, as every context's endpoints do.
"""

from typing import Annotated, Protocol, runtime_checkable

from fastapi import Depends, Request

from audit.application.interfaces.audit_entry_queries import AuditEntryQueries
from audit.application.interfaces.audit_log import AuditLog
from audit.application.use_cases.read_audit_entries import read_audit_entries
from infrastructure_kernel.http.request_state import app_services, request_actor, request_tenant
from shared_kernel.tenancy import TenantId


@runtime_checkable
class AuditServices(Protocol):
    """What audit's endpoint and commands need from the application serving them."""

    def audit_entry_queries(self, tenant_id: TenantId) -> AuditEntryQueries:
        """The reads of ``tenant_id``'s trail."""
        ...

    def audit_log(self) -> AuditLog:
        """Every tenant's chain, for verification."""
        ...


async def audit_entry_queries(request: Request) -> AuditEntryQueries:
    """The trail queries of the request's tenant, if its actor may read the trail."""
    services: AuditServices = app_services(request, AuditServices)
    queries = services.audit_entry_queries(request_tenant(request))
    return await read_audit_entries(queries, actor=request_actor(request))


AuditEntryQueriesDep = Annotated[AuditEntryQueries, Depends(audit_entry_queries)]
