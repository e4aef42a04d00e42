"""What goes into payments' use cases: a start request and the provider's verified news."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from payments.domain.entities.payment import ProviderOutcome
from shared_kernel.money import Money


class StartPayment(BaseModel):
    """Start collecting an order's total; the amount is the order's, never the client's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: UUID


@dataclass(frozen=True)
class WebhookDelivery:
    """A webhook as it arrived: its signature header and its body, bytes as sent."""

    signature: str | None
    body: bytes


@dataclass(frozen=True)
class ProviderEvent:
    """What a verified webhook says: which event, about which intent, and how it ended."""

    event_id: str
    outcome: ProviderOutcome
    provider_payment_id: str
    amount: Money
    occurred_at: datetime
