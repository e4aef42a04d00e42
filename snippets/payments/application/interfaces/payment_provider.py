"""The port to the payment provider: collect an amount, ask how it went, give it back."""

from typing import Protocol
from uuid import UUID

from payments.domain.entities.payment import ProviderOutcome
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

    async def outcome(self, provider_payment_id: str, amount: Money) -> ProviderOutcome | None:
        """How the intent ended, as its webhook would say; ``None`` while it is open.

        Raises:
            ProviderUnavailableError: The provider cannot serve now.
            ProviderRejectedError: The provider knows no such intent of ``amount``.
        """
        ...

    async def refund(self, provider_payment_id: str, amount: Money, idempotency_key: str) -> str:
        """Give back ``amount`` that the intent collected; return the refund's id.

        The same ``idempotency_key`` makes the same refund, however often it is sent.

        Raises:
            ProviderUnavailableError: The provider cannot serve now; a later call with
                the same key is safe.
            ProviderRejectedError: The provider refused the refund.
        """
        ...


# --8<-- [end:payment-provider]
