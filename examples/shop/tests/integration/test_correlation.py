"""One id from a request to its consumers: in the request's log lines, its event, their lines.

An order is placed with an ``X-Request-ID``; the relay publishes its event and the
catalog's consumer handles it, on every transport. The captured log lines and the
envelope on the wire are read back.
"""

import json
import re
from collections import Counter
from dataclasses import replace
from typing import Any

import httpx
import pytest
import structlog
from fastapi import APIRouter, FastAPI

from catalog.application.dto.product_commands import AddProduct
from catalog.application.dto.product_views import ProductView
from catalog.application.use_cases.add_product import add_product
from infrastructure_kernel.http.hostile_input import for_each_example, hostile_header_values
from infrastructure_kernel.http.request_id import SANE_REQUEST_ID
from infrastructure_kernel.messaging.consumer import Outcome
from infrastructure_kernel.messaging.correlation import (
    bind_tenant,
    correlated,
    current_correlation_id,
    current_tenant_id,
)
from infrastructure_kernel.messaging.envelope import parse_envelope
from infrastructure_kernel.messaging.relay import OutboxRelay
from infrastructure_kernel.messaging.transport import Transport
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import SystemClock
from shop.bootstrap import UNITS_SOLD, Services
from shop.infrastructure.database.tables import outbox
from shop.infrastructure.logging import configure_logging
from shop.presentation.api.application import CONTEXT_PROBLEM_TYPES, CONTEXT_ROUTERS, create_app
from tenancy.domain.entities.tenant import Tenant

from .conftest import owner_of_both
from .test_consumers import consumer_on, runtime
from .transports import Bench, bench

__all__ = ["bench"]

pytestmark = pytest.mark.anyio

NEW_ID = re.compile(r"[0-9a-f]{32}")

# A route of the test's own, among the tenant-scoped ones: any line an endpoint logs.
noting = APIRouter()


@noting.get("/note")
async def note() -> None:
    structlog.get_logger("test").info("noted", order=7)


@noting.get("/work")
async def work() -> dict[str, str | None]:
    return {"correlation_id": current_correlation_id(), "tenant_id": current_tenant_id()}


def lines(err: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in err.splitlines()]


class Recording:
    """A transport that keeps what the relay handed it, then passes it on."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.bodies: list[bytes] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)

    async def publish(self, envelopes: Any) -> None:
        self.bodies += [envelope.to_bytes() for envelope in envelopes]
        await self.transport.publish(envelopes)


async def add_mug(services: Services, tenant: Tenant) -> ProductView:
    mug = AddProduct.model_validate(
        {"sku": "MUG-001", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}
    )
    return await add_product(mug, services.catalog_unit_of_work(tenant.tenant_id), actor=OPERATOR)


# --8<-- [start:correlation-test]
@pytest.mark.usefixtures("structlog_restored", "root_logger_restored")
async def test_a_request_id_follows_an_order_into_its_event_and_the_consumers_lines(
    bench: Bench, services: Services, acme: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")
    product = await add_mug(services, acme)
    app = create_app(services, [*CONTEXT_ROUTERS, noting], CONTEXT_PROBLEM_TYPES)
    as_acme = {"X-Tenant-ID": "acme", "X-Request-ID": "gateway-7f3a"}
    async with client(app) as http:
        await http.get("/api/v1/note", headers=as_acme)
        order = {"lines": [{"product_id": str(product.id), "quantity": 2}]}
        placed = await http.post("/api/v1/orders", headers=as_acme, json=order)
    assert placed.status_code == 201, placed.text

    transport = Recording(bench.make())
    consumer = runtime(bench, services.engine, transport)
    await transport.declare([consumer_on(bench).subscription])
    await OutboxRelay(services.engine, outbox, transport, SystemClock()).drain()
    outcomes = await consumer.drain(idle=bench.idle)

    assert outcomes == Counter({Outcome.HANDLED: 1})
    [order_placed] = [parse_envelope(b) for b in transport.bodies if b"OrderPlaced" in b]
    assert order_placed.correlation_id == "gateway-7f3a"
    logged = lines(capsys.readouterr().err)
    [noted, settled] = [line for line in logged if line["event"] in {"noted", "event_settled"}]
    assert (noted["event"], noted["order"]) == ("noted", 7)
    assert (noted["request_id"], noted["correlation_id"]) == ("gateway-7f3a", "gateway-7f3a")
    assert noted["tenant_id"] == "acme"
    assert (settled["event"], settled["outcome"]) == ("event_settled", "handled")
    assert settled["event_id"] == str(order_placed.event_id)
    assert (settled["correlation_id"], settled["tenant_id"]) == ("gateway-7f3a", "acme")
    assert "request_id" not in settled  # no request is being served there


# --8<-- [end:correlation-test]


def client(app: FastAPI) -> httpx.AsyncClient:
    """A client of ``app`` as an owner of both tenants, signed by the app's services."""
    transport = httpx.ASGITransport(app=app)
    owner = owner_of_both(app.state.services)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=owner)


@pytest.mark.usefixtures("structlog_restored", "root_logger_restored")
async def test_an_event_without_a_correlation_is_correlated_by_its_own_id(
    bench: Bench, services: Services, acme: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")
    await add_mug(services, acme)  # not a request: no correlation
    transport = bench.make()
    subscription = bench.subscription("products", "ProductAdded")
    consumer = runtime(
        bench, services.engine, transport, replace(UNITS_SOLD, name=subscription.queue)
    )
    await transport.declare([subscription])
    await OutboxRelay(services.engine, outbox, transport, SystemClock()).drain()
    async for message in transport.receive(subscription, idle=bench.idle):
        await consumer.handle(message)  # no handler for ProductAdded: a dead letter

    [settled] = [line for line in lines(capsys.readouterr().err) if "outcome" in line]
    assert (settled["event_name"], settled["consumer"]) == ("ProductAdded", subscription.queue)
    assert (settled["level"], settled["outcome"]) == ("warning", "dead-lettered")
    assert settled["correlation_id"] == settled["event_id"]
    assert settled["tenant_id"] == "acme"


def test_a_tenant_is_bound_only_inside_work_and_only_for_its_duration() -> None:
    bind_tenant("acme")  # outside any work: nothing to bind it to
    assert current_tenant_id() is None
    with correlated("outer"):
        bind_tenant("acme")
        with correlated("inner", tenant_id="globex"):
            assert (current_correlation_id(), current_tenant_id()) == ("inner", "globex")
        assert (current_correlation_id(), current_tenant_id()) == ("outer", "acme")
    assert (current_correlation_id(), current_tenant_id()) == (None, None)


async def test_whatever_request_id_is_sent_the_work_is_correlated_by_the_answered_one(
    services: Services, acme: Tenant
) -> None:
    del acme
    app = create_app(services, [*CONTEXT_ROUTERS, noting], CONTEXT_PROBLEM_TYPES)

    async def check(sent: str) -> None:
        async with client(app) as http:
            response = await http.get(
                "/api/v1/work",
                headers=[(b"X-Tenant-ID", b"acme"), (b"X-Request-ID", sent.encode("latin-1"))],
            )
        answered = response.headers["x-request-id"]
        assert response.json() == {"correlation_id": answered, "tenant_id": "acme"}
        sane = SANE_REQUEST_ID.fullmatch(sent.encode("latin-1"))
        assert answered == sent if sane else NEW_ID.fullmatch(answered)

    await for_each_example(hostile_header_values(), check, max_examples=40)
