"""The audit trail's endpoint, version 1 (mounted under ``/api/v1`` by the platform).

Read-only: entries are appended by the ``audit.trail`` consumer and never changed, so
the resource has no other method. Tenant-scoped like every context's router: a tenant
reads its own chain, and another tenant's entries are as absent as missing ones.
"""

from typing import Annotated

from fastapi import APIRouter, Query

from audit.application.dto.audit_entry_commands import ListAuditEntries
from audit.application.dto.audit_entry_views import AuditEntryPage
from audit.presentation.api.dependencies import AuditEntryQueriesDep

router = APIRouter(prefix="/audit-entries", tags=["audit"])


# --8<-- [start:list-endpoint]
@router.get("", operation_id="list_audit_entries")
async def list_audit_entries(
    page: Annotated[ListAuditEntries, Query()], queries: AuditEntryQueriesDep
) -> AuditEntryPage:
    """List the tenant's audit trail, oldest entry first, ``limit`` at a time.

    Each entry carries its hash and the hash of the entry before it, so a client can
    recompute the chain itself. Pass a page's ``next_cursor`` as ``after`` to get the
    page that follows; the last page has none.
    """
    return await queries.list_page(after=page.after, limit=page.limit)


# --8<-- [end:list-endpoint]
