"""Idempotent order placement: a retried request must not place a second order.

A client that sends ``POST /orders`` and loses the connection cannot know whether the
order was placed. With an idempotency key (a value it chooses, e.g. a UUID, and sends
again with every retry) it can simply retry: the shop remembers which order each key
placed, in the same transaction as the order, and answers a retry with that order.
"""

import hashlib
from dataclasses import dataclass
from typing import ClassVar, Protocol
from uuid import UUID

from pydantic import BaseModel

from shared_kernel.errors import InvalidValueError
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True)
class IdempotencyKey(ValueObject):
    """A client's key for one logical request: 1 to ``MAX_LENGTH`` printable characters."""

    MAX_LENGTH: ClassVar[int] = 255
    HEADER_PATTERN: ClassVar[str] = r"^[^\x00-\x1f\x7f-\xa0\xad]{1,255}$"
    """The rule as a regular expression over Latin-1, all that an HTTP header carries."""

    value: str

    def validate(self) -> None:
        """Reject empty, overlong and non-printable keys."""
        if not 0 < len(self.value) <= self.MAX_LENGTH or not self.value.isprintable():
            raise InvalidValueError(
                f"an idempotency key has 1 to {self.MAX_LENGTH} printable characters"
            )


def fingerprint(request: BaseModel) -> str:
    """Identify a request for idempotency: equal requests, equal fingerprints.

    A hash of the validated fields, so formatting differences in the original JSON do
    not matter, but the order of a list's items does. Fields left at their default are
    left out, so an optional field added later (``customer_email``) keeps the
    fingerprints of the requests that do not use it, and their keys valid.
    """
    return hashlib.sha256(request.model_dump_json(exclude_defaults=True).encode()).hexdigest()


# --8<-- [start:idempotency-store]
@dataclass(frozen=True)
class StoredResult:
    """What a key is remembered with.

    Attributes:
        request_fingerprint: Identifies the request that used the key first, so a
            different request with the same key is recognised.
        order_id: The order that request placed.
    """

    request_fingerprint: str
    order_id: UUID


class IdempotencyStore(Protocol):
    """The keys one tenant's requests used, reached through the unit of work.

    Part of the unit of work, so a key is remembered in the same transaction as the
    order it placed: both are stored, or neither is. Keys are per tenant.
    """

    async def recall(self, key: IdempotencyKey, /) -> StoredResult | None:
        """Return what the key was remembered with, or ``None`` for a new key."""
        ...

    async def remember(
        self, key: IdempotencyKey, request_fingerprint: str, order_id: UUID, /
    ) -> None:
        """Remember that the request with this fingerprint placed this order.

        It is stored when the unit of work commits. If a concurrent transaction
        remembered the same key first, the commit raises ``ConcurrencyConflictError``
        (a unique constraint on tenant and key); the client's retry then finds the key.
        """
        ...


# --8<-- [end:idempotency-store]
