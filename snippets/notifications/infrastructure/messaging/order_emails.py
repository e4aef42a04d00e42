"""The ``notifications.order-emails`` consumer's handlers: an e-mail per change of an order.

``OrderPlaced`` carries the customer's address, when the customer gave one; the
handler keeps it in ``order_recipients`` and writes the first e-mail. The later events
of the order (paid, shipped, cancelled) carry only its id: their e-mails go to the
address kept. An order placed without an address gets no e-mails.

The handler runs in the consumer runtime's transaction, after the inbox's row: a
redelivered event finds its row and sends nothing. Sending happens inside that
transaction, last: if the server does not accept the e-mail, the transaction rolls
back and the runtime tries again later, or dead-letters the event with the server's
reply. The one gap is a process that dies after the server accepted an e-mail and
before the commit: the event comes again and the e-mail is sent twice, with the same
``Message-ID``, which lets mail clients show it once.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure_kernel.messaging.consumer import Handler, PoisonMessageError
from infrastructure_kernel.messaging.envelope import EventEnvelope
from notifications.application.interfaces.mailer import Mailer, MailRefusedError
from notifications.infrastructure.database.tables import order_recipients
from notifications.infrastructure.external.mail_templates import render_order_mail

ORDER_EVENTS_VERSION = 1
"""The version of ordering's events whose payloads these handlers read."""

# --8<-- [start:headlines]
HEADLINES = {
    "OrderPlaced": "Thank you for your order",
    "OrderPaid": "We received your payment",
    "OrderShipped": "Your order is on its way",
    "OrderCancelled": "Your order was cancelled",
}
"""The events that send an e-mail, and what its subject and first line say."""
# --8<-- [end:headlines]


class _Line(BaseModel):
    model_config = ConfigDict(extra="ignore")

    quantity: int = Field(gt=0, le=1_000_000)
    unit_price: Decimal = Field(allow_inf_nan=False, max_digits=20)


class _OrderEvent(BaseModel):
    """What every order event's payload holds that the e-mails need."""

    model_config = ConfigDict(extra="ignore")

    order_id: UUID
    previous_status: str | None = None  # OrderCancelled's


class _OrderPlaced(_OrderEvent):
    customer_email: EmailStr | None = None
    items: list[_Line] = Field(min_length=1, max_length=1_000)
    total: Decimal = Field(allow_inf_nan=False, max_digits=20)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


# --8<-- [start:order-emails]
@dataclass(frozen=True)
class OrderEmails:
    """The handlers of the order e-mails, and what they need.

    Attributes:
        mailer: Where the e-mails go.
        default_sender: Whom the e-mails are from, for a tenant without a sender of its own.
        senders: Each tenant's own sender, by tenant id.
    """

    mailer: Mailer
    default_sender: Address
    senders: Mapping[str, Address] = field(default_factory=dict)

    @property
    def handlers(self) -> dict[str, Handler]:
        """The consumer's handler for each event that sends an e-mail."""
        return dict.fromkeys(HEADLINES, self.handle)

    async def handle(self, connection: AsyncConnection, envelope: EventEnvelope) -> None:
        """Send the e-mail about the event's order, if its customer gave an address.

        Raises:
            PoisonMessageError: The event is of a version this code does not read, or
                the mail server refused its e-mail for good.
            pydantic.ValidationError: The payload is not the event it says it is; an
                address with a line break in it, for one.
        """
        if envelope.schema_version != ORDER_EVENTS_VERSION:
            raise PoisonMessageError(f"version {envelope.schema_version} is not read")
        recipient, details = await self._recipient(connection, envelope)
        if recipient is None:
            return
        try:
            await self.mailer.send(self._message(envelope, recipient, details))
        except MailRefusedError as error:
            raise PoisonMessageError(f"the mail server refused it: {error}") from error

    # --8<-- [end:order-emails]

    async def _recipient(
        self, connection: AsyncConnection, envelope: EventEnvelope
    ) -> tuple[str | None, dict[str, Any]]:
        """Whom to write to about the event's order, and what its e-mail shows."""
        if envelope.event_name != "OrderPlaced":
            event = _OrderEvent.model_validate(envelope.payload)
            key = (order_recipients.c.tenant_id == envelope.tenant_id) & (
                order_recipients.c.order_id == event.order_id
            )
            email = await connection.scalar(select(order_recipients.c.email).where(key))
            refund = event.previous_status == "paid"
            return email, {"order_id": event.order_id, "lines": [], "refund": refund}
        placed = _OrderPlaced.model_validate(envelope.payload)
        if placed.customer_email is not None:
            await connection.execute(
                insert(order_recipients).values(
                    tenant_id=envelope.tenant_id,
                    order_id=placed.order_id,
                    email=placed.customer_email,
                )
            )
        return placed.customer_email, {
            "order_id": placed.order_id,
            "lines": placed.items,
            "total": placed.total,
            "currency": placed.currency,
            "refund": False,
        }

    # --8<-- [start:message]
    def _message(
        self, envelope: EventEnvelope, recipient: str, details: dict[str, Any]
    ) -> EmailMessage:
        sender = self.senders.get(envelope.tenant_id, self.default_sender)
        headline = HEADLINES[envelope.event_name]
        shop = sender.display_name or envelope.tenant_id
        rendered = render_order_mail({**details, "headline": headline, "shop": shop})
        # The standard library's message checks every header: a value with a line break
        # in it raises instead of becoming a second header.
        message = EmailMessage()
        message["From"] = sender
        message["To"] = recipient
        message["Subject"] = f"{headline}: order {details['order_id']}"
        message["Date"] = format_datetime(envelope.occurred_at)
        # One id per event: an e-mail sent again after a crash is recognisably the same.
        message["Message-ID"] = f"<{envelope.event_id}@{sender.domain}>"
        message.set_content(rendered.text)
        message.add_alternative(rendered.html, subtype="html")
        return message

    # --8<-- [end:message]
