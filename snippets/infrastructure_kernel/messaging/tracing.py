"""A trace that crosses the broker: the W3C trace context, stored and carried with each event.

An event is published long after the request that recorded it, by another process (the
relay), and handled by a third (a consumer). So the request's trace context is taken
when the event is written to the outbox (:func:`current_traceparent`), stored beside it,
and carried in the envelope's ``traceparent`` (and, on RabbitMQ, in the message header of
that name, where other tools look for it). The relay's publish span is a child of the
request's span, and the consumer's span a child of the publish span: one trace, from the
HTTP request to the effect of each of its events.

Without tracing, the relay and the consumers are given no tracer, start no span and pass
the stored context on unchanged.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from infrastructure_kernel.messaging.envelope import EventEnvelope

# W3C Trace Context, whatever else OTEL_PROPAGATORS names: the envelope's field is its.
_W3C = TraceContextTextMapPropagator()


def current_traceparent() -> str | None:
    """Return the ``traceparent`` of the span in progress, or ``None`` outside of one."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier.get("traceparent")


def context_of(traceparent: str | None) -> Context:
    """Return the context a ``traceparent`` names; an empty one (a new trace) if none."""
    return _W3C.extract({"traceparent": traceparent} if traceparent else {})


# --8<-- [start:publish-spans]
@contextmanager
def publish_spans(
    tracer: Tracer, envelopes: Sequence[EventEnvelope]
) -> Iterator[list[EventEnvelope]]:
    """Start a span per envelope, a child of its stored context; yield them re-parented.

    Each envelope yielded carries its publish span's ``traceparent``, so the consumer's
    span becomes that span's child. The spans end when the block does, once the broker
    has confirmed the batch or refused it.
    """
    spans: list[Span] = []
    try:
        for envelope in envelopes:
            spans.append(
                tracer.start_span(
                    f"publish {envelope.event_name}",
                    context=context_of(envelope.traceparent),
                    kind=SpanKind.PRODUCER,
                    attributes=_attributes(envelope, "publish"),
                )
            )
        yield [
            envelope.model_copy(update={"traceparent": _traceparent_of(span)})
            for envelope, span in zip(envelopes, spans, strict=True)
        ]
    finally:
        for span in spans:
            span.end()


@contextmanager
def process_span(tracer: Tracer, envelope: EventEnvelope, consumer: str) -> Iterator[Span]:
    """Run the block in a consumer's span, a child of the envelope's trace context."""
    attributes = {**_attributes(envelope, "process"), "messaging.consumer.group.name": consumer}
    with tracer.start_as_current_span(
        f"process {envelope.event_name}",
        context=context_of(envelope.traceparent),
        kind=SpanKind.CONSUMER,
        attributes=attributes,
    ) as span:
        yield span


# --8<-- [end:publish-spans]


def _attributes(envelope: EventEnvelope, operation: str) -> dict[str, str]:
    # OpenTelemetry's semantic conventions for messaging spans.
    return {
        "messaging.operation.type": operation,
        "messaging.destination.name": envelope.event_name,
        "messaging.message.id": str(envelope.event_id),
    }


def _traceparent_of(span: Span) -> str | None:
    carrier: dict[str, str] = {}
    _W3C.inject(carrier, context=trace.set_span_in_context(span))
    return carrier.get("traceparent")
