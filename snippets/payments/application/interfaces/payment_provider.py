"""The port to the payment provider: create an intent to collect an amount."""

from typing import Protocol
from uuid import UUID

from shared_kernel.money import Money


# --8<-- [start:payment-provider]
class PaymentProvider(Protocol):
    """The provider that collects the money; its webhooks say how each intent ended."""

    async def create_intent(self, amount: Money, idempotency_key: str, reference: UUID) -> str:
        """Ask the provider to collect ``amount``; return its id of the intent.

        The same ``idempotency_key`` makes the same intent, however often it is sent:
        the provider answers a repeated request with the intent the first one made.

        Raises:
            ProviderUnavailableError: The provider cannot serve now; nothing is known
                about the intent, and a later call with the same key is safe.
            ProviderRejectedError: The provider refused the request.
        """
        ...


# --8<-- [end:payment-provider]
