"""The spans of one order, read with the SDK's in-memory exporter: HTTP, SQL, publish, process."""

import json
import sys
from collections import Counter
from collections.abc import Iterator
from typing import cast

import httpx
import pytest
import structlog
from hypothesis import given
from opentelemetry.sdk.resources import SERVICE_NAME
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.application.dto.product_commands import AddProduct
from catalog.application.use_cases.add_product import add_product
from infrastructure_kernel.http.hostile_input import hostile_text
from infrastructure_kernel.messaging.consumer import ConsumerRuntime, Outcome
from infrastructure_kernel.messaging.envelope import MalformedMessageError, parse_envelope
from infrastructure_kernel.messaging.relay import OutboxRelay
from infrastructure_kernel.messaging.tracing import context_of
from infrastructure_kernel.messaging.transport import Transport
from infrastructure_kernel.tracing import (
    ENDPOINT_VARIABLES,
    TracingUnavailableError,
    trace_engine,
    tracer_provider_from_environment,
)
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, bootstrap
from shop.infrastructure.database.tables import inbox, outbox
from shop.infrastructure.logging import configure_logging
from shop.presentation.api.application import shop_app
from shop.settings import Settings
from tenancy.domain.entities.tenant import Tenant

from .conftest import NOW, owner_of_both
from .messaging import RecordingTransport, envelope, product_added, store_events
from .test_consumers import consumer_on
from .transports import Bench, bench

__all__ = ["bench"]

pytestmark = pytest.mark.anyio

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def provider(spans: InMemorySpanExporter) -> Iterator[TracerProvider]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))  # exported as each span ends
    yield provider
    provider.shutdown()


def only(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    [span] = [span for span in spans if span.name == name]
    return span


# --8<-- [start:trace-test]
@pytest.mark.usefixtures("acme")
async def test_an_order_is_one_trace_from_the_request_to_the_consumers_effect(
    bench: Bench,
    engine: AsyncEngine,
    settings: Settings,
    provider: TracerProvider,
    spans: InMemorySpanExporter,
) -> None:
    trace_engine(engine, provider)
    services = Services(
        settings=settings, engine=engine, clock=FixedClock(NOW), tracer_provider=provider
    )
    mug = AddProduct.model_validate(
        {"sku": "MUG-001", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}
    )
    product = await add_product(
        mug, services.catalog_unit_of_work(TenantId("acme")), actor=OPERATOR
    )
    transport = bench.make()
    consumer = ConsumerRuntime(
        consumer_on(bench), engine, inbox, transport, bench.clock, tracer=services._tracer()
    )
    await transport.declare([consumer_on(bench).subscription])
    spans.clear()

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=shop_app(services)),
        base_url="http://testserver",
        headers=owner_of_both(services),
    ) as client:
        order = {"lines": [{"product_id": str(product.id), "quantity": 2}]}
        placed = await client.post("/api/v1/orders", headers={"X-Tenant-ID": "acme"}, json=order)
    await services.relay(transport).drain()
    assert await consumer.drain(idle=bench.idle) == Counter({Outcome.HANDLED: 1})

    finished = list(spans.get_finished_spans())
    request = only(finished, "POST /api/v1/orders")
    publish = only(finished, "publish OrderPlaced")
    process = only(finished, "process OrderPlaced")
    assert placed.status_code == 201
    assert request.kind == SpanKind.SERVER
    assert (publish.kind, process.kind) == (SpanKind.PRODUCER, SpanKind.CONSUMER)
    trace_id = request.context.trace_id
    assert publish.context.trace_id == process.context.trace_id == trace_id
    assert publish.parent is not None
    assert publish.parent.span_id == request.context.span_id
    assert process.parent is not None
    assert process.parent.span_id == publish.context.span_id
    sql = [span for span in finished if span.kind == SpanKind.CLIENT]
    insert_outbox = [
        s for s in sql if "INSERT INTO outbox" in str((s.attributes or {}).get("db.statement"))
    ]
    assert insert_outbox
    assert insert_outbox[0].context.trace_id == trace_id
    in_consumer = [s for s in sql if s.parent and s.parent.span_id == process.context.span_id]
    assert in_consumer  # the inbox's insert and the handler's statements


# --8<-- [end:trace-test]


async def test_untraced_the_relay_passes_the_stored_trace_context_on_unchanged(
    engine: AsyncEngine, acme: Tenant, provider: TracerProvider
) -> None:
    del acme
    with provider.get_tracer("test").start_as_current_span("a request") as span:
        await store_events(engine, "acme", [product_added()])
    transport = RecordingTransport()

    await OutboxRelay(engine, outbox, cast(Transport, transport), FixedClock(NOW)).drain()

    ids = span.get_span_context()
    [sent] = transport.published
    assert sent.traceparent is not None
    assert sent.traceparent.startswith(f"00-{ids.trace_id:032x}-{ids.span_id:016x}-")


@given(hostile_text(max_size=80))
def test_a_hostile_traceparent_is_refused_with_the_envelope_or_starts_a_new_trace(
    value: str,
) -> None:
    body = envelope().model_dump(mode="json")
    try:
        parsed = parse_envelope(json.dumps({**body, "traceparent": value}).encode())
    except MalformedMessageError:
        return
    assert parsed.traceparent == value
    context_of(value)  # never raises


# --8<-- [start:tracing-off-test]
@pytest.fixture
def untraced_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    others = ("OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_SERVICE_NAME")
    for name in (*ENDPOINT_VARIABLES, *others):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("untraced_environment")
async def test_without_an_endpoint_nothing_is_instrumented(settings: Settings) -> None:
    services = bootstrap(settings)
    app = shop_app(services)

    assert services.tracer_provider is None
    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)
    assert services.relay(services.transport())._tracer is None
    await services.aclose()


@pytest.mark.usefixtures("untraced_environment")
async def test_an_otlp_endpoint_turns_tracing_on(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    services = bootstrap(settings)
    app = shop_app(services)

    assert services.tracer_provider is not None
    assert services.tracer_provider.resource.attributes[SERVICE_NAME] == "shop"
    assert getattr(app, "_is_instrumented_by_opentelemetry", False)
    await services.aclose()  # nothing was traced: nothing is sent


# --8<-- [end:tracing-off-test]


@pytest.mark.usefixtures("untraced_environment")
@pytest.mark.parametrize(
    ("variables", "on"),
    [
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_the_standard_variables_decide(
    variables: dict[str, str], on: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OTEL_SERVICE_NAME", "checkout")

    provider = tracer_provider_from_environment("shop")

    assert (provider is not None) == on
    if provider is not None:
        assert provider.resource.attributes[SERVICE_NAME] == "checkout"
        provider.shutdown()


@pytest.mark.usefixtures("untraced_environment")
def test_an_endpoint_without_the_exporter_installed_stops_with_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    monkeypatch.setitem(sys.modules, "opentelemetry.exporter.otlp.proto.http", None)

    with pytest.raises(TracingUnavailableError, match="'otlp' extra"):
        tracer_provider_from_environment("shop")


@pytest.mark.usefixtures("structlog_restored", "root_logger_restored")
def test_a_line_logged_in_a_span_names_its_trace_and_span(
    provider: TracerProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")
    with provider.get_tracer("test").start_as_current_span("work") as span:
        structlog.get_logger("test").info("inside")
    structlog.get_logger("test").info("outside")

    inside, outside = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    ids = span.get_span_context()
    assert (inside["trace_id"], inside["span_id"]) == (
        f"{ids.trace_id:032x}",
        f"{ids.span_id:016x}",
    )
    assert "trace_id" not in outside
