"""Which HTTP status and problem type answers each payments error.

A refused webhook's detail says only that it was refused: which check failed is the
shop's log's to know, not a forger's.
"""

from collections.abc import Mapping

from infrastructure_kernel.remedies import Remedies, Remedy
from payments.application.errors import (
    AmountMismatchError,
    ProviderRejectedError,
    WebhookReplayedError,
)
from payments.domain.errors import (
    OrderNotPayableError,
    OrderToPayNotFoundError,
    PaymentNotFoundError,
)
from payments.presentation.api.dependencies import PaymentsNotConfiguredError
from payments.presentation.api.payment_events import WebhookRefusedError
from payments.presentation.api.payments import PaymentProviderUnavailableError

# --8<-- [start:problem-types]
PROBLEM_TYPES: Mapping[type[Exception], tuple[int, str, str]] = {
    PaymentNotFoundError: (404, "payment-not-found", "No such payment"),
    OrderToPayNotFoundError: (404, "order-not-found", "No such order"),
    OrderNotPayableError: (409, "order-not-payable", "Order not waiting for a payment"),
    WebhookRefusedError: (400, "webhook-refused", "Webhook refused"),
    WebhookReplayedError: (409, "webhook-replayed", "Event processed already"),
    AmountMismatchError: (422, "payment-amount-mismatch", "Amount is not the payment's"),
    ProviderRejectedError: (502, "payment-provider-error", "Payment provider refused"),
    PaymentProviderUnavailableError: (503, "service-unavailable", "Service unavailable"),
    PaymentsNotConfiguredError: (503, "payments-not-configured", "Payments not configured"),
}
# --8<-- [end:problem-types]

REMEDIES: Remedies = {
    "payment-not-found": Remedy(
        "The tenant has no payment with that id; for a webhook, no payment has the event's"
        " payment intent (yet).",
        "Check the id and the tenant; the provider delivers a webhook again later by itself.",
    ),
    "order-not-payable": Remedy(
        "The order is paid, shipped or cancelled: it waits for no payment.",
        "Read the order; start a payment only for a placed order.",
    ),
    "webhook-refused": Remedy(
        "The webhook's Provider-Signature header is missing, malformed, signed with"
        " another secret or older than the tolerance, or its body is not a payment event.",
        "Check that PAYMENT_WEBHOOK_SECRET is the provider's signing secret and that the"
        " clocks agree; the shop's log says which check failed.",
    ),
    "webhook-replayed": Remedy(
        "The event was processed already; a delivery again changes nothing.",
        "Nothing: the first delivery did the work.",
    ),
    "payment-amount-mismatch": Remedy(
        "A verified event names another amount or currency than the payment it is about.",
        "Compare the payment with the intent in the provider's dashboard; nothing changed.",
    ),
    "payment-provider-error": Remedy(
        "The payment provider refused the shop's request or answered something unusable,"
        " e.g. after a wrong PAYMENT_PROVIDER_API_KEY.",
        "Check the provider's settings; the shop's log has the provider's status.",
    ),
    "payments-not-configured": Remedy(
        "The shop has no PAYMENT_PROVIDER_URL, API key and webhook secret.",
        "Set PAYMENT_PROVIDER_URL, PAYMENT_PROVIDER_API_KEY and PAYMENT_WEBHOOK_SECRET.",
    ),
}
"""What each of payments' problems means, and what to do about it."""
