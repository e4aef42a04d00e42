"""The port that turns a webhook as it arrived into the provider's verified event."""

from typing import Protocol

from payments.application.dto.payment_commands import ProviderEvent, WebhookDelivery


class WebhookVerifier(Protocol):
    """Checks that a webhook comes from the provider, now, and reads its event."""

    def verify(self, delivery: WebhookDelivery, /) -> ProviderEvent:
        """The event of a webhook that the provider signed within the tolerance.

        Raises:
            InvalidWebhookError: The signature is missing, wrong or too old, or the
                body is not one of the provider's events.
        """
        ...
