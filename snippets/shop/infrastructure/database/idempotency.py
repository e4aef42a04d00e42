"""Idempotency keys in the ``idempotency_keys`` table: ordering's ``IdempotencyStore``.

The platform owns the table, so the store lives here; ordering's unit of work is given
one per transaction by the composition root and calls :meth:`store_changes` as it
commits, so a key is stored with the order it placed, or not at all.
"""

from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure_kernel.database.tenant_scope import TenantScope
from ordering.application.interfaces.idempotency_store import IdempotencyKey, StoredResult
from shared_kernel.clock import Clock
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId
from shop.infrastructure.database.tables import idempotency_keys


# --8<-- [start:idempotency-store]
class SqlAlchemyIdempotencyStore:
    """One tenant's idempotency keys, inside one unit of work's transaction."""

    def __init__(self, connection: AsyncConnection, tenant_id: TenantId, clock: Clock) -> None:
        self._connection = connection
        # Ordering's tenant scope: the keys are ordering's, though the platform owns the table.
        self._scope = TenantScope(tenant_id)
        self._clock = clock
        self._new: dict[IdempotencyKey, StoredResult] = {}

    async def recall(self, key: IdempotencyKey, /) -> StoredResult | None:
        """A key remembered in this unit of work, not yet written, is recalled too."""
        if key in self._new:
            return self._new[key]
        keys = idempotency_keys.c
        result = await self._connection.execute(
            self._scope.select(idempotency_keys, keys.request_fingerprint, keys.resource_id).where(
                keys.key == key.value
            )
        )
        row = result.one_or_none()
        return None if row is None else StoredResult(row.request_fingerprint, row.resource_id)

    async def remember(
        self, key: IdempotencyKey, request_fingerprint: str, order_id: UUID, /
    ) -> None:
        """Nothing is written yet: :meth:`store_changes` writes it when the unit of work commits."""
        self._new[key] = StoredResult(request_fingerprint, order_id)

    async def store_changes(self) -> None:
        """Write the keys remembered since the unit of work began.

        Raises:
            ConcurrencyConflictError: A concurrent request remembered one of the keys
                first; its transaction committed, so a retry finds the key.
        """
        if not self._new:
            return
        rows = [
            self._scope.row(
                key=key.value,
                request_fingerprint=stored.request_fingerprint,
                resource_id=stored.order_id,
                created_at=self._clock.now(),
            )
            for key, stored in self._new.items()
        ]
        try:
            await self._connection.execute(insert(idempotency_keys), rows)
        except IntegrityError as error:
            raise ConcurrencyConflictError(
                "a concurrent request with the same idempotency key was stored first"
            ) from error
        self._new.clear()


# --8<-- [end:idempotency-store]
