"""The errors of ordering's application layer: mistakes in how a client uses it."""

from ordering.application.interfaces.idempotency_store import IdempotencyKey
from shared_kernel.errors import DomainError


class IdempotencyKeyReusedError(DomainError):
    """A key came back with a different request; a key names one request only.

    Not a broken business rule but a client error: the client reused a key for a new
    order, or changed the request between retries.
    """

    def __init__(self, key: IdempotencyKey) -> None:
        super().__init__(
            f"the idempotency key {key.value!r} was already used for a different request"
        )
        self.key = key
