"""The order e-mails, sent to a real SMTP server in the tests' process and read there.

The events take the real way where it matters (an order placed through the API, the
outbox, the relay, the embedded transport, the consumer runtime with its inbox); the
hostile-input tests hand messages to the runtime directly, many per test.
"""

import json
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from email import message_from_bytes, policy
from email.headerregistry import Address
from pathlib import Path
from typing import Any, cast
from uuid import UUID, uuid4

import httpx
import pytest
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.application.dto.product_commands import AddProduct
from catalog.application.use_cases.add_product import add_product
from infrastructure_kernel.http.hostile_input import for_each_example, hostile_text
from infrastructure_kernel.messaging.consumer import Backoff, Consumer, ConsumerRuntime, Outcome
from infrastructure_kernel.messaging.envelope import EventEnvelope
from infrastructure_kernel.messaging.relay import OutboxRelay, envelope
from infrastructure_kernel.messaging.transport import Transport
from notifications.infrastructure.database.tables import order_recipients
from notifications.infrastructure.external.mail_templates import render_order_mail
from notifications.infrastructure.external.pickup_directory import PickupDirectoryMailer
from notifications.infrastructure.external.smtp_server import SmtpMailer
from ordering.domain.events.order_events import (
    OrderCancelled,
    OrderedItem,
    OrderPaid,
    OrderPlaced,
    OrderShipped,
)
from shared_kernel.authorization import OPERATOR
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.database.tables import inbox, outbox
from shop.settings import Settings
from tenancy.domain.entities.tenant import Tenant

from .messaging import NOW, MovingClock, Settled, embedded, store_events
from .smtp import REFUSED, SmtpServer, free_port, smtp_server

__all__ = ["smtp_server"]

pytestmark = pytest.mark.anyio

NAME = "notifications.order-emails"
QUICK = Backoff(attempts=3, first_pause=0.001)
ACME_SENDER = "Acme Shop <orders@acme.example>"


def with_mail(services: Services, **settings: Any) -> Services:
    changed = Settings.model_validate(
        {**dict(services.settings), "mail_senders": {"acme": ACME_SENDER}, **settings}
    )
    return replace(services, settings=changed)


def consumer(services: Services) -> Consumer:
    return replace(services.consumer(NAME), backoff=QUICK)


def placed(email: str | None = "ada@example.com", tenant: str = "acme") -> OrderPlaced:
    item = OrderedItem(product_id=uuid4(), quantity=2, unit_price=Decimal("12.50"))
    return OrderPlaced(
        tenant_id=tenant,
        order_id=uuid4(),
        items=(item,),
        total=Decimal("25.00"),
        currency="EUR",
        customer_email=email,
    )


async def deliver(
    services: Services, engine: AsyncEngine, *stored: tuple[str, list[DomainEvent]]
) -> tuple[Counter[Outcome], Transport]:
    """Store the events, relay them and let the e-mail consumer drain its queue."""
    clock = MovingClock(NOW)
    transport = embedded(engine, clock)
    mails = consumer(services)
    await transport.declare([mails.subscription])
    for tenant, events in stored:
        await store_events(engine, tenant, events)
    await OutboxRelay(engine, outbox, transport, clock).drain()
    outcomes = await ConsumerRuntime(mails, engine, inbox, transport, clock).drain(idle=0.05)
    return outcomes, transport


async def test_an_order_placed_through_the_api_is_mailed_from_the_tenants_sender(
    services: Services,
    engine: AsyncEngine,
    smtp_server: SmtpServer,
    client: httpx.AsyncClient,
    acme: Tenant,
) -> None:
    del acme
    command = AddProduct.model_validate(
        {"sku": "MUG-001", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}
    )
    mug = await add_product(
        command, services.catalog_unit_of_work(TenantId("acme")), actor=OPERATOR
    )
    body = {
        "lines": [{"product_id": str(mug.id), "quantity": 2}],
        "customer_email": "ada@example.com",
    }
    order = await client.post("/api/v1/orders", json=body, headers={"X-Tenant-ID": "acme"})
    assert order.status_code == 201, order.text

    outcomes, _ = await deliver(with_mail(services, **smtp_server.settings()), engine)

    assert outcomes == Counter({Outcome.HANDLED: 1})
    [mail] = smtp_server.mailbox.received
    order_id = order.json()["id"]
    assert (mail.mail_from, mail.rcpt_tos) == ("orders@acme.example", ["ada@example.com"])
    assert mail.message["From"] == ACME_SENDER
    assert mail.message["Subject"] == f"Thank you for your order: order {order_id}"
    assert mail.message["Message-ID"].endswith("@acme.example>")
    text = mail.message.get_body(("plain",))
    html = mail.message.get_body(("html",))
    assert text is not None
    assert html is not None
    assert "2 x 12.50 EUR" in text.get_content()
    assert "Total: 25.00 EUR" in text.get_content()
    assert f"<code>{order_id}</code> at Acme Shop" in html.get_content()


async def test_each_change_of_the_order_is_mailed_to_the_address_it_was_placed_with(
    services: Services, engine: AsyncEngine, smtp_server: SmtpServer, tenants: None
) -> None:
    del tenants
    first, second, silent = placed(), placed("bob@example.com", "globex"), placed(None)
    acme_events: list[DomainEvent] = [
        first,
        OrderPaid(tenant_id="acme", order_id=first.order_id),
        OrderCancelled(tenant_id="acme", order_id=first.order_id, previous_status="paid"),
        silent,
        OrderShipped(tenant_id="acme", order_id=silent.order_id),
    ]
    globex_events: list[DomainEvent] = [
        second,
        OrderCancelled(tenant_id="globex", order_id=second.order_id, previous_status="placed"),
    ]

    outcomes, _ = await deliver(
        with_mail(services, **smtp_server.settings()),
        engine,
        ("acme", acme_events),
        ("globex", globex_events),
    )

    assert outcomes == Counter({Outcome.HANDLED: 7})
    mails = smtp_server.mailbox.received
    assert [(m.rcpt_tos, m.message["Subject"].split(":")[0]) for m in mails] == [
        (["ada@example.com"], "Thank you for your order"),
        (["ada@example.com"], "We received your payment"),
        (["ada@example.com"], "Your order was cancelled"),
        (["bob@example.com"], "Thank you for your order"),
        (["bob@example.com"], "Your order was cancelled"),
    ]
    refunds = [
        "The payment will be refunded." in str(m.message.get_body(("plain",))) for m in mails
    ]
    assert refunds == [False, False, True, False, False]
    assert mails[3].message["From"] == "Shop <orders@shop.example>"  # globex has no sender


async def test_a_redelivered_event_sends_no_second_email(
    services: Services, engine: AsyncEngine, smtp_server: SmtpServer, acme: Tenant
) -> None:
    del acme
    event = placed()
    await store_events(engine, "acme", [event])
    async with engine.connect() as connection:
        [row] = (await connection.execute(select(outbox))).mappings().all()
    transport = embedded(engine, MovingClock(NOW))
    mails = consumer(with_mail(services, **smtp_server.settings()))
    await transport.declare([mails.subscription])
    await transport.publish([envelope(row), envelope(row)])

    runtime = ConsumerRuntime(mails, engine, inbox, transport, MovingClock(NOW))
    outcomes = await runtime.drain(idle=0.05)

    assert outcomes == Counter({Outcome.HANDLED: 1, Outcome.DUPLICATE: 1})
    assert len(smtp_server.mailbox.received) == 1


async def recipients(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return cast(
            int, await connection.scalar(select(func.count()).select_from(order_recipients))
        )


async def test_with_the_smtp_server_down_the_event_is_retried_then_dead_lettered(
    services: Services, engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    down = with_mail(services, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_timeout=1.0)

    outcomes, transport = await deliver(down, engine, ("acme", [placed()]))

    assert outcomes == Counter({Outcome.DEAD_LETTERED: 1})
    [letter] = await transport.dead_letters(consumer(down).subscription)
    assert letter.reason.startswith("failed 3 times; last: SMTPConnectError")
    assert await recipients(engine) == 0  # rolled back with the failed sending


async def test_a_recipient_refused_for_good_is_dead_lettered_without_retrying(
    services: Services, engine: AsyncEngine, smtp_server: SmtpServer, acme: Tenant
) -> None:
    del acme
    mails = with_mail(services, **smtp_server.settings())

    outcomes, transport = await deliver(mails, engine, ("acme", [placed(f"{REFUSED}example.com")]))

    assert outcomes == Counter({Outcome.DEAD_LETTERED: 1})
    [letter] = await transport.dead_letters(consumer(mails).subscription)
    assert letter.reason.startswith("the handler refused it: the mail server refused it: ")
    assert "550" in letter.reason
    assert smtp_server.mailbox.refusals == 1


async def test_without_an_smtp_server_the_emails_are_files_in_the_pickup_directory(
    services: Services, engine: AsyncEngine, acme: Tenant, tmp_path: Path
) -> None:
    del acme
    event = placed("zoë@example.com")
    local = with_mail(services, mail_pickup_directory=str(tmp_path / "mail"))
    assert isinstance(local.mailer(), PickupDirectoryMailer)

    outcomes, _ = await deliver(local, engine, ("acme", [event]))

    assert outcomes == Counter({Outcome.HANDLED: 1})
    [written] = (tmp_path / "mail").iterdir()
    assert written.name.endswith("@acme.example.eml")
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["To"] == "zoë@example.com"


async def test_the_services_choose_smtp_when_a_host_is_set(services: Services) -> None:
    configured = with_mail(
        services,
        smtp_host="mail.example",
        smtp_port=465,
        smtp_use_tls=True,
        smtp_username="shop",
        smtp_password="secret",  # noqa: S106 - a test value
    )

    assert configured.mailer() == SmtpMailer(
        "mail.example",
        465,
        10.0,
        use_tls=True,
        username="shop",
        password="secret",  # noqa: S106
    )
    assert configured.order_emails().senders == {
        "acme": Address("Acme Shop", addr_spec="orders@acme.example")
    }


async def test_the_html_part_escapes_what_the_text_part_shows_as_it_is() -> None:
    rendered = render_order_mail(
        {
            "headline": "Hi",
            "order_id": UUID(int=1),
            "shop": "<b>A & B</b>",
            "lines": [],
            "refund": False,
        }
    )

    assert "<b>A & B</b>" in rendered.text
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in rendered.html
    assert "<b>A" not in rendered.html


def placed_envelope(**payload: Any) -> EventEnvelope:
    return EventEnvelope.model_validate(
        {
            "event_id": uuid4(),
            "event_name": "OrderPlaced",
            "schema_version": 1,
            "tenant_id": "acme",
            "occurred_at": NOW,
            "payload": {
                "order_id": str(uuid4()),
                "items": [{"product_id": str(uuid4()), "quantity": 1, "unit_price": "1.00"}],
                "total": "1.00",
                "currency": "EUR",
                **payload,
            },
        }
    )


INJECTIONS = st.sampled_from(
    ["\r\nBcc: eve@evil.example", "\nCc: eve@evil.example", "\r\n\r\nbody", "\r"]
)
hostile_addresses = st.one_of(
    hostile_text(max_size=60),
    st.emails(),
    st.tuples(st.emails(), INJECTIONS).map("".join),
    st.sampled_from(
        ["用户@例子.广告", "zoë@bäckerei.example", "\u202eada@example.com", "a@b@example.com"]
    ),
)


async def test_a_hostile_address_is_refused_or_gets_exactly_one_mail_and_no_other_recipient(
    services: Services, engine: AsyncEngine, smtp_server: SmtpServer, acme: Tenant
) -> None:
    del acme
    mails = consumer(with_mail(services, **smtp_server.settings()))
    runtime = ConsumerRuntime(mails, engine, inbox, cast(Transport, None), MovingClock(NOW))
    mailbox = smtp_server.mailbox

    async def check(address: str) -> None:
        before = len(mailbox.received)
        # json.dumps escapes lone surrogates, which UTF-8 cannot hold, as JSON does.
        body = json.dumps(placed_envelope(customer_email=address).model_dump(mode="json"))
        message = Settled(body.encode())
        outcome = await runtime.handle(message)
        sent = mailbox.received[before:]
        if outcome is Outcome.DEAD_LETTERED:
            assert sent == []
            return
        assert outcome is Outcome.HANDLED
        [mail] = sent
        assert len(mail.rcpt_tos) == 1
        assert mail.rcpt_tos[0].casefold() == str(mail.message["To"]).casefold()
        assert "\n" not in address
        assert "\r" not in address
        assert mail.message["Bcc"] is None
        assert mail.message["Cc"] is None

    await for_each_example(hostile_addresses, check, max_examples=40)


async def test_a_hostile_sender_name_is_refused_by_the_settings_or_arrives_intact(
    services: Services, engine: AsyncEngine, smtp_server: SmtpServer, acme: Tenant
) -> None:
    del acme

    async def check(name: str) -> None:
        try:
            configured = with_mail(
                services,
                mail_senders={"acme": f"{name} <orders@acme.example>"},
                **smtp_server.settings(),
            )
        except ValidationError:
            return
        runtime = ConsumerRuntime(
            consumer(configured), engine, inbox, cast(Transport, None), MovingClock(NOW)
        )
        before = len(smtp_server.mailbox.received)
        outcome = await runtime.handle(
            Settled(placed_envelope(customer_email="ada@example.com").to_bytes())
        )
        assert outcome is Outcome.HANDLED
        [mail] = smtp_server.mailbox.received[before:]
        sender = mail.message["From"].addresses[0]
        assert (sender.display_name, sender.addr_spec) == (
            configured.settings.mail_senders["acme"].name,
            "orders@acme.example",
        )

    names = st.one_of(
        hostile_text(max_size=40), st.sampled_from(["Ærøskøbing Bäckerei 東京", "Acme\r\nBcc: eve"])
    )
    await for_each_example(names, check, max_examples=30)


async def test_an_event_of_another_version_waits_in_the_dead_letters(
    services: Services, engine: AsyncEngine, acme: Tenant
) -> None:
    del acme
    runtime = ConsumerRuntime(
        consumer(services), engine, inbox, cast(Transport, None), MovingClock(NOW)
    )
    newer = placed_envelope().model_copy(update={"schema_version": 2})

    message = Settled(newer.to_bytes())
    assert await runtime.handle(message) is Outcome.DEAD_LETTERED
    assert message.settled == ["the handler refused it: version 2 is not read"]
