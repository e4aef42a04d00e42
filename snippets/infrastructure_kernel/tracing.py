"""Traces: OpenTelemetry spans for HTTP requests and SQL statements, off unless configured.

Tracing is configured by OpenTelemetry's standard environment variables alone, so the
platform that runs the service (its collector's address, its sampling) decides, not the
service's own settings. ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) turns it on; ``OTEL_SDK_DISABLED=true`` or
``OTEL_TRACES_EXPORTER=none`` keeps it off; the exporter reads the rest (headers,
timeout, compression), the provider ``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``
and ``OTEL_TRACES_SAMPLER``.

Off, nothing is instrumented: no middleware joins the app, no listener joins the engine,
and the relay and consumers get no tracer, so an untraced request does no tracing work.
The OTLP exporter is an optional dependency (the ``otlp`` extra), since it brings
protobuf and an HTTP client that an untraced service does not need.
"""

import os

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpUpDownCounter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy.ext.asyncio import AsyncEngine

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
UNTRACED_PATHS = "/health/,/metrics$"
"""Left untraced: the orchestrator's probes and Prometheus's scrapes, every few seconds."""


class TracingUnavailableError(RuntimeError):
    """Tracing is configured, but the exporter it needs is not installed."""


# --8<-- [start:tracer-provider]
def tracer_provider_from_environment(service_name: str) -> TracerProvider | None:
    """Return a provider that exports spans over OTLP/HTTP, or ``None`` if none is configured.

    Args:
        service_name: The ``service.name`` of the spans, unless ``OTEL_SERVICE_NAME`` or
            ``OTEL_RESOURCE_ATTRIBUTES`` names one.

    Raises:
        TracingUnavailableError: An endpoint is set, but the exporter is not installed.
    """
    disabled = os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true"
    exporter_named = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").lower()
    if disabled or exporter_named == "none" or not any(map(os.environ.get, ENDPOINT_VARIABLES)):
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http import trace_exporter  # noqa: PLC0415 - extra
    except ImportError as error:
        raise TracingUnavailableError(
            f"{' or '.join(ENDPOINT_VARIABLES)} is set, but the OTLP exporter is not "
            "installed: install the service with its 'otlp' extra"
        ) from error
    resource = Resource.create()  # the variables' attributes, and the SDK's own
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: service_name}))
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(trace_exporter.OTLPSpanExporter()))
    return provider


# --8<-- [end:tracer-provider]


# --8<-- [start:instrument]
def trace_app(app: FastAPI, provider: TracerProvider) -> None:
    """Give every request a server span, named after its route template.

    The ASGI messages of a request get no spans of their own (``receive``, ``send``):
    one span per request is what a trace needs, and a streamed response would add one
    per chunk.
    """
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls=UNTRACED_PATHS,
        exclude_spans=["receive", "send"],
    )


def trace_engine(engine: AsyncEngine, provider: TracerProvider) -> None:
    """Give every SQL statement ``engine`` sends a client span, a child of the current one.

    The asynchronous engine runs its synchronous core in greenlets, so the listeners go
    on that core (``sync_engine``); the span still joins the trace of the request or
    message that awaited the statement.
    """
    # The engine's tracer alone: SQLAlchemyInstrumentor().instrument() would also patch
    # create_engine for every engine made after it, in the whole process. The pool's
    # usage is Prometheus's (infrastructure_kernel.database.pool_metrics), not counted here.
    unused = NoOpUpDownCounter("db.client.connections.usage")
    tracer = provider.get_tracer(__name__)
    EngineTracer(tracer, engine.sync_engine, unused)  # type: ignore[no-untyped-call]  # unannotated


# --8<-- [end:instrument]
