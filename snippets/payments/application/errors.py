"""Payments' application errors: what the provider and its webhooks can do wrong."""


class ProviderUnavailableError(Exception):
    """The provider cannot be reached or is overloaded; try again after ``retry_after``."""

    def __init__(self, reason: str, retry_after: int) -> None:
        super().__init__(f"the payment provider cannot serve now: {reason}")
        self.retry_after = retry_after


class ProviderRejectedError(Exception):
    """The provider refused the request, or answered something the shop cannot accept."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the payment provider refused the request: {reason}")


class InvalidWebhookError(Exception):
    """A webhook failed verification: unsigned, forged, too old or malformed.

    Its message says which check failed, for the log; the caller learns only that the
    webhook was refused.
    """


class WebhookReplayedError(Exception):
    """A verified webhook whose event was processed already; it changes nothing."""

    def __init__(self, event_id: str) -> None:
        super().__init__(f"event {event_id} was processed already")
        self.event_id = event_id


class AmountMismatchError(Exception):
    """A verified webhook names another amount than the payment's; it changes nothing."""

    def __init__(self, provider_payment_id: str) -> None:
        super().__init__(f"the event's amount is not the payment's ({provider_payment_id})")
