"""The trail's read port: pages of one tenant's entries."""

from typing import Protocol

from audit.application.dto.audit_entry_views import AuditEntryPage


class AuditEntryQueries(Protocol):
    """Reads of one tenant's trail; made for one tenant, so no method takes one."""

    async def list_page(self, *, after: str | None, limit: int) -> AuditEntryPage:
        """Return up to ``limit`` entries in ascending sequence, after the cursor ``after``.

        Keyset pagination on the sequence; ``next_cursor`` is ``None`` on the last page.

        Raises:
            InvalidCursorError: ``after`` is not a cursor of this list.
        """
        ...
